fn f(x: bool) {}
fn main() {
    f(1);
}
