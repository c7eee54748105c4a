const C: u8 = true;
fn main() {}
