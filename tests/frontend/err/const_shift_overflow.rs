const S: u32 = 1 << 40;
fn main() {}
