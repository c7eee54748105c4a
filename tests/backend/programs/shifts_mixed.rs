fn main() {
    let a: u8 = 0b1011_0001;
    let b: i8 = -64;
    let c: u16 = 0xF00F;
    let d: i32 = -12345;
    let e: u64 = 1;
    for s in 0..8u32 {
        println!("{} {} {} {}", a << s, a >> s, b >> s, b << (s as i64));
    }
    let amounts = [0u8, 1, 7, 15];
    for i in 0..4 {
        let s = amounts[i];
        println!("{} {}", c << s, c >> s);
    }
    let amount: i128 = 31;
    println!("{} {}", d >> amount, d << 3u8);
    println!("{}", e << 63usize);
    let mut m: u32 = 1;
    m <<= 31;
    println!("{}", m);
    m >>= 31i64;
    println!("{}", m);
}
