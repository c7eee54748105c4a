fn f(x: i32, x: i32) {}
fn main() {}
