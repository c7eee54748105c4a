fn main() { let x = 3; let y = match x { 1 => 2, _ => 0 }; println!("{}", y); }
