fn main() { let f = |x: i32| x + 1; println!("{}", f(2)); }
