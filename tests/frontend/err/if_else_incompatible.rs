fn main() {
    let w = if true { 1 } else { "a" };
}
