fn g(x: i32) -> bool {
    if x > 0 { return true; }
}
fn main() {}
