fn f() -> Option<i32> {
    let x = Some(1)?;
    Some(x)
}
fn main() {
    f();
}
