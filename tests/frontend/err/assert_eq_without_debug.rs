#[derive(PartialEq)]
struct P;
fn main() {
    assert_eq!(P, P);
}
