fn main() {
    let c = '\t';
    assert_eq!(c, '\t');
    let s = "line\n";
    assert_ne!(s, "line");
    println!("ok");
    assert_eq!(s, "line\r\n");
}
