fn f() -> Self { 0 }
fn main() {}
