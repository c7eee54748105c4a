fn fib(n: u32) -> u64 {
    if n < 2 {
        n as u64
    } else {
        fib(n - 1) + fib(n - 2)
    }
}

fn ackermann(m: u64, n: u64) -> u64 {
    if m == 0 {
        n + 1
    } else if n == 0 {
        ackermann(m - 1, 1)
    } else {
        ackermann(m - 1, ackermann(m, n - 1))
    }
}

fn is_even(n: u32) -> bool {
    if n == 0 { true } else { is_odd(n - 1) }
}

fn is_odd(n: u32) -> bool {
    if n == 0 { false } else { is_even(n - 1) }
}

fn sum_digits(n: u64) -> u64 {
    if n < 10 { n } else { n % 10 + sum_digits(n / 10) }
}

fn main() {
    for i in 0..15 {
        print!("{} ", fib(i));
    }
    println!();
    println!("{}", fib(30));
    println!("{} {}", ackermann(2, 3), ackermann(3, 3));
    println!("{} {}", is_even(10), is_odd(7));
    println!("{}", sum_digits(9876543210));
}
