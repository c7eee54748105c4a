const D: i32 = 1 / 0;
fn main() {}
