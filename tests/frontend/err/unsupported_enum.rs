enum Color { Red, Green }
fn main() {}
