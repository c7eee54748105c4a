const F: f64 = 1.0;
fn main() {}
