fn triple(x: i32) -> i32 {
    x * 3
}

fn main() {
    assert_eq!(triple(2), 6);
    assert_eq!(triple(-1), -3);
    println!("triple works");
    assert_eq!(triple(5), 16);
}
