struct P;
fn main() {
    let p = &P;
    p.nothing();
}
