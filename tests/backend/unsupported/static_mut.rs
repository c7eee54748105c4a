static mut N: i32 = 0;
fn main() { unsafe { N += 1; } }
