#[derive(Debug, Clone, Copy)]
struct P {
    x: i64,
    y: i64,
}

fn seven(a: i32, b: i32, c: i32, d: i32, e: i32, f: i32, g: i32) -> i32 {
    a + 2 * b + 3 * c + 4 * d + 5 * e + 6 * f + 7 * g
}

fn mixed(a: u8, b: &str, c: u16, d: &[u8], e: u128, f: i64, g: &str, h: P, i: bool) -> P {
    let mut r = h;
    r.x += a as i64 + c as i64 + b.len() as i64 + d.len() as i64 + (e >> 64) as i64 + f;
    r.y += g.len() as i64 + if i { 1000 } else { 0 };
    r
}

fn stack_pair(a: u64, b: u64, c: u64, d: u64, e: u64, s: &str, f: i128) -> u64 {
    a + b + c + d + e + s.len() as u64 + (f >> 100) as u64
}

fn ret_big(seed: u8) -> [u8; 40] {
    let mut r = [seed; 40];
    r[39] = seed * 3;
    r
}


fn main() {
    println!("{}", seven(1, 2, 3, 4, 5, 6, 7));
    let bytes = [1u8, 2, 3];
    let p = mixed(1, "ab", 300, &bytes, 5u128 << 64, -7, "xyz", P { x: 10, y: 20 }, true);
    println!("{:?}", p);
    println!("{}", stack_pair(1, 2, 3, 4, 5, "hello", 3i128 << 100));
    let r = ret_big(2);
    println!("{} {} {}", r[0], r[38], r[39]);
}
