fn f();
fn main() {}
