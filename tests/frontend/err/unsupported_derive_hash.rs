#[derive(Hash)]
struct S;
fn main() {}
