#[derive(Debug)]
struct P;
fn main() {
    assert_eq!(P, P);
}
