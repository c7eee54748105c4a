struct P;
fn main() {
    let p = P;
    let q = p.clone();
}
