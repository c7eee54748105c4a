const A: u8 = 200 + 100;
fn main() {}
