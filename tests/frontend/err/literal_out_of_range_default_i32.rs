fn main() {
    let q = 3000000000;
}
