use zzz::{a, b};
fn main() {}
