enum E { A, B }
fn main() { let _e = E::A; println!("x"); }
