struct P;
impl P { fn make() -> P { P } }
fn main() {
    P.make();
}
