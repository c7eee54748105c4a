pub fn run(n: u32) {
    println!("checking {}", n);
    assert_eq!(n % 2, 1, "{} should be odd", n);
}
