struct S { x: Mystery }
fn main() {}
