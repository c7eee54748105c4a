fn gcd(a: u64, b: u64) -> u64 {
    if b == 0 { a } else { gcd(b, a % b) }
}

fn lcm(a: u64, b: u64) -> u64 {
    a / gcd(a, b) * b
}

fn main() {
    print!("    ");
    for c in 1..=10 {
        print!("{:4}", c);
    }
    println!();
    for r in 1..=10 {
        print!("{:4}", r);
        for c in 1..=10 {
            print!("{:4}", gcd(r, c));
        }
        println!();
    }
    let mut l = 1;
    for k in 1..=20 {
        l = lcm(l, k);
    }
    println!("lcm(1..=20) = {}", l);
    println!("{}", gcd(1071, 462));
}
