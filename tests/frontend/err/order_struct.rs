#[derive(PartialEq)]
struct P;
fn main() {
    let u = P < P;
}
