fn main() {
    let a = [1, 2];
    for x in a {}
}
