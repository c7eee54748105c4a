fn main() {
    let x = 1;
    if let 1 = x {}
}
