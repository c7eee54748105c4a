fn main() {
    let x = y + 1;
}
