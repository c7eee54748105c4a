fn main() {
    let b = b"\u{41}";
}
