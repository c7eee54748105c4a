fn main() {
    let q = super::x;
}
