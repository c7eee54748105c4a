fn popcount(mut x: u32) -> u32 {
    let mut n = 0;
    while x != 0 {
        n += x & 1;
        x >>= 1;
    }
    n
}

fn main() {
    let a: u8 = 0b1100_1010;
    let b: u8 = 0b1010_0110;
    println!("{:08b}", a & b);
    println!("{:08b}", a | b);
    println!("{:08b}", a ^ b);
    println!("{:08b}", !a);
    let c: i32 = -6;
    println!("{} {} {}", c & 0xff, c | 1, !c);
    println!("{}", popcount(0xdeadbeef));
    let flags: u16 = (1 << 3) | (1 << 9);
    println!("{} {}", flags & (1 << 3) != 0, flags & (1 << 4) != 0);
    let t = true;
    let f = false;
    println!("{} {} {}", t & f, t | f, t ^ t);
    let mut m: u64 = 0;
    m |= 1 << 40;
    m ^= 0xff;
    println!("{:#x}", m);
}
