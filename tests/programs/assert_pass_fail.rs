fn is_prime(n: u32) -> bool {
    if n < 2 {
        return false;
    }
    let mut d = 2;
    while d * d <= n {
        if n % d == 0 {
            return false;
        }
        d += 1;
    }
    true
}

fn main() {
    assert!(is_prime(2));
    assert!(is_prime(97));
    assert!(!is_prime(91));
    println!("all good so far");
    let n = 91;
    assert!(is_prime(n));
    println!("not printed");
}
