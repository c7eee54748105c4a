fn main() {
    let u = "\u{110000}";
}
