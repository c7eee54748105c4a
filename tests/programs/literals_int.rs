// Integer literals: suffixes, separators, bases.
fn main() {
    let a = 1_000_000;
    let b = 0xff;
    let c = 0o777;
    let d = 0b1010_1010;
    let e = 42u8;
    let f = -7i16;
    let g = 123_456_789_012i64;
    let h = 0xDEAD_BEEFu32;
    let i = 1_u128;
    let j = 0x7fff_ffff_ffff_ffff_ffff_ffff_ffff_ffffi128;
    let k = 340_282_366_920_938_463_463_374_607_431_768_211_455u128;
    let l = 0usize;
    let m = 9_223_372_036_854_775_807isize;
    let n = 0b1111_1111u8;
    let o = 0o17i8;
    println!("{} {} {} {}", a, b, c, d);
    println!("{} {} {} {}", e, f, g, h);
    println!("{} {} {}", i, j, k);
    println!("{} {} {} {}", l, m, n, o);
    println!("{}", 1_2_3);
    println!("{}", 0x_1F);
}
