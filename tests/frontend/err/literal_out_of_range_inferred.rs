fn takes(x: u8) {}
fn main() {
    let a = 300;
    takes(a);
}
