fn main() { let x = 'a: { if true { break 'a 1; } 2 }; println!("{}", x); }
