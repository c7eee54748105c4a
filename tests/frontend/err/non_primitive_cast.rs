struct P;
fn main() {
    let x = P as u8;
}
