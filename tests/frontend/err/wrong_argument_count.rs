fn two(a: i32, b: i32) -> i32 { a + b }
fn main() {
    two(1);
}
