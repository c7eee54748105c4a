fn f() -> Missing { 0 }
fn main() {}
