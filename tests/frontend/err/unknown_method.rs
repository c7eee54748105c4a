struct P;
fn main() {
    P.foo();
}
