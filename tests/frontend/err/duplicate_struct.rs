struct S;
struct S;
fn main() {}
