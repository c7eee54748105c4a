static mut X: i32 = 0;
fn main() {}
