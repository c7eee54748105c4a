#[derive(Debug, Clone, Copy)]
struct Big {
    a: u64,
    b: u64,
    c: [u8; 5],
}

fn many(a: u8, b: i128, c: &str, d: u16, e: &[i32], f: i64, g: bool, h: char, i: u128, j: Big, k: &str) -> u64 {
    let mut s = a as u64 + d as u64 + f as u64 + (b as u64) + (i as u64);
    s += c.len() as u64 + e.len() as u64 + k.len() as u64;
    if g {
        s += h as u64;
    }
    s + j.a + j.c[4] as u64
}

fn bump(mut big: Big) -> Big {
    big.a += 1;
    big.c[0] = 42;
    big
}

fn pair(x: i32) -> (i32, i128, &'static str) {
    (x, x as i128 * 1000000000000, if x > 0 { "pos" } else { "neg" })
}

fn arr(n: u32) -> [u32; 4] {
    [n, n * 2, n * 3, n * 4]
}

fn unit_args(a: (), b: u8, c: ()) -> u8 {
    let _ = a;
    let _ = c;
    b
}

fn fib(n: u32) -> u64 {
    if n < 2 { n as u64 } else { fib(n - 1) + fib(n - 2) }
}

fn swap(a: &mut i32, b: &mut i32) {
    let t = *a;
    *a = *b;
    *b = t;
}

fn main() {
    let big = Big { a: 10, b: 20, c: [1, 2, 3, 4, 5] };
    let arr1 = [1, 2, 3];
    println!("{}", many(1, -2, "abc", 4, &arr1, 6, true, 'A', 9, big, "xy"));
    let b2 = bump(big);
    println!("{:?} {:?}", big, b2);
    println!("{:?} {:?}", pair(3), pair(-3));
    let (p, q, r) = pair(7);
    println!("{} {} {}", p, q, r);
    println!("{:?}", arr(5));
    println!("{}", arr(6)[2]);
    println!("{}", unit_args((), 9, ()));
    println!("{}", fib(20));
    let mut x = 1;
    let mut y = 2;
    swap(&mut x, &mut y);
    println!("{} {}", x, y);
    let mut a = [Big { a: 1, b: 2, c: [0; 5] }; 3];
    a[1] = bump(a[1]);
    a[2].c[3] = 8;
    println!("{:?}", a);
}
