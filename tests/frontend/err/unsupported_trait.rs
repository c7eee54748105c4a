trait Shape { fn area(&self) -> i32; }
fn main() {}
