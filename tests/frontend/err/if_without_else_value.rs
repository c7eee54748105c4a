fn main() {
    let z = if true { 1 };
}
