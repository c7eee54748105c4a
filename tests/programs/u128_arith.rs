fn fib(n: u32) -> u128 {
    let mut a: u128 = 0;
    let mut b: u128 = 1;
    for _step in 0..n {
        let t = a + b;
        a = b;
        b = t;
    }
    a
}

fn main() {
    let ns = [0, 1, 10, 50, 100, 150, 185];
    for i in 0..ns.len() {
        println!("fib({}) = {}", ns[i], fib(ns[i]));
    }
    let x: u128 = 1 << 100;
    println!("{} {} {}", x, x / 3, x % 3);
    println!("{:#x} {:o}", x - 1, x);
    let big = fib(185);
    println!("{}", big / 1_000_000_007);
    println!("{}", big % 1_000_000_007);
    println!("{}", big * 1);
}
