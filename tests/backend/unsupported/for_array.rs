fn main() { for x in [1, 2, 3] { println!("{}", x); } }
