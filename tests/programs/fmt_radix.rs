fn main() {
    let v = 0xbeefu16;
    println!("{:x} {:X} {:o} {:b}", v, v, v, v);
    println!("{:#x} {:#X} {:#o} {:#b}", v, v, v, v);
    println!("{:x} {:x} {:x}", 0u8, 1i32, -1i32);
    println!("{:X} {:o} {:b}", -1i8, -1i16, -2i8);
    println!("{:#x} {:#b}", -128i8, -128i8);
    println!("{:x}", -1i64);
    println!("{:x}", -1i128);
    println!("{:b}", 340282366920938463463374607431768211455u128);
    println!("{:o}", 18446744073709551615u64);
    println!("{:#X}", 3735928559u32);
    println!("{:x} {:X}", 'a' as u32, true as u8);
    println!("{:x}", 9223372036854775807isize);
    println!("{:#o} {:#b}", 0, 0);
}
