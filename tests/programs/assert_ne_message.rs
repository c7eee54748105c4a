fn main() {
    let a = [1, 2, 3];
    let b = [1, 2, 3];
    assert_ne!(a.len(), 0, "array must not be empty");
    println!("non-empty");
    assert_ne!(a[0] + a[2], b[2] + b[0], "sums of {:?} and {:?} should differ", a, b);
}
