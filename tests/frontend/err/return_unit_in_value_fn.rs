fn f() -> i32 {
    return;
}
fn main() {}
