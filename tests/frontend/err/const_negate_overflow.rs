const N: i8 = -(-128);
fn main() {}
