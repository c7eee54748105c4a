fn f() -> i32 { 1 }
fn main() { let g = f; println!("{}", g()); }
