fn main() { let mut o = Some(3); while let Some(x) = o { o = None; println!("{}", x); } }
