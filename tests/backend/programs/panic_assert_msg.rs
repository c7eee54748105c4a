fn main() {
    let x = 3;
    assert!(x > 1, "x must be big");
    assert!(x > 5, "x = {} is too small (want > {})", x, 5);
}
