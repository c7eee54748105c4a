// Shifts that stay in range, on every width; the shifted-out bits are lost silently.
fn main() {
    let a: u8 = 0b1000_0001;
    println!("{} {} {}", a << 1, a >> 1, a << 7);
    let b: i8 = -128;
    println!("{} {} {}", b >> 1, b >> 7, b << 0);
    let c: u16 = 0xffff;
    println!("{} {}", c << 15, c >> 15);
    let d: i32 = -1;
    println!("{} {}", d << 31, d >> 31);
    let e: u64 = 1;
    println!("{}", e << 63);
    let f: i128 = -1;
    println!("{} {}", f << 127, f >> 100);
    let g: u128 = 1;
    println!("{}", g << 127);
    let h: usize = 3;
    println!("{}", h << 62);
    let amount: u8 = 4;
    let i: i64 = 1;
    println!("{} {}", i << amount, 1024u32 >> amount);
    let mut j: u32 = 1;
    j <<= 5;
    j >>= 2;
    println!("{}", j);
}
