fn main() { let v: u64 = 5000; println!("{:E}", v); }
