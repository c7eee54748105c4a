fn main() {
    let expected = "abc";
    let got = "abd";
    assert_eq!(expected.len(), got.len(), "lengths differ");
    println!("lengths match");
    let x: u8 = 200;
    let y: u8 = 100;
    assert_eq!(x, y * 2);
    assert_eq!(x - y, y + 1, "subtraction check failed for {} and {}", x, y);
}
