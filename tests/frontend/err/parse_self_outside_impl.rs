fn f(&self) {}
fn main() {}
