fn f() -> i32 {
    5;
}
fn main() {}
