use zzz::q;
fn main() {}
