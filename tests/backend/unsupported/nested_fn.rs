fn main() { fn inner() -> i32 { 4 } println!("{}", inner()); }
