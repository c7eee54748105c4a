fn f(v: Vec<i32>) {}
fn main() {}
