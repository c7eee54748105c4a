fn f(x: &mut i32) {}
fn main() {
    let y = 1;
    f(&y);
}
