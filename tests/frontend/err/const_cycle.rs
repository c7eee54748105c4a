const A: i32 = B;
const B: i32 = A;
fn main() {}
