fn main() {
    let z = 1 ¤ 2;
}
