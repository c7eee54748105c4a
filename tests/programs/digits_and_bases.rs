fn digit_sum(mut n: u64, base: u64) -> u64 {
    let mut s = 0;
    while n > 0 {
        s += n % base;
        n /= base;
    }
    s
}

fn print_base(mut n: u64, base: u64) {
    let digits = ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9', 'a', 'b', 'c', 'd', 'e', 'f'];
    let mut buf = ['0'; 64];
    let mut len = 0;
    if n == 0 {
        len = 1;
    }
    while n > 0 {
        buf[len] = digits[(n % base) as usize];
        n /= base;
        len += 1;
    }
    for i in (0..len).rev() {
        print!("{}", buf[i]);
    }
}

fn main() {
    let nums = [0u64, 7, 255, 1000, 65535, 123456789];
    for i in 0..nums.len() {
        let n = nums[i];
        print!("{:>10}: ", n);
        print_base(n, 2);
        print!(" ");
        print_base(n, 7);
        print!(" ");
        print_base(n, 16);
        println!(" | {:b} {:x} sums {} {}", n, n, digit_sum(n, 10), digit_sum(n, 2));
    }
}
