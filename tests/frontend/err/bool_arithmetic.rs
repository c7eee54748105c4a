fn main() {
    let x = true + false;
}
