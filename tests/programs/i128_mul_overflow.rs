fn power(base: i128, exp: u32) -> i128 {
    let mut r: i128 = 1;
    let mut i = 0;
    while i < exp {
        r *= base;
        i += 1;
    }
    r
}

fn main() {
    println!("{}", power(10, 38));
    println!("{}", power(-2, 127));
    println!("{}", power(2, 127));
}
