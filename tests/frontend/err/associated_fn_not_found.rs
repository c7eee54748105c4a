struct S;
fn main() {
    S::missing();
}
