#[derive(Debug, Clone, Copy)]
struct P { x: i32, y: i32 }
fn main() { let p = P { x: 1, y: 2 }; let q = P { x: 5, ..p }; println!("{:?}", q); }
