fn main() {
    let a = [1, true];
}
