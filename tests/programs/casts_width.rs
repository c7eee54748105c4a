// `as` between integer types: truncation, sign extension, zero extension.
fn main() {
    let a: i32 = 300;
    println!("{} {} {}", a as u8, a as i8, a as u16);
    let b: i32 = -1;
    println!("{} {} {} {}", b as u8, b as u16, b as u32, b as u64);
    println!("{} {}", b as u128, b as i128);
    let c: u8 = 200;
    println!("{} {} {}", c as i8, c as i32, c as u64);
    let d: i64 = -9223372036854775808;
    println!("{} {} {}", d as i32, d as u64, d as i128);
    let e: u64 = 18446744073709551615;
    println!("{} {} {}", e as i64, e as u32, e as i16);
    let f: u128 = 340282366920938463463374607431768211455;
    println!("{} {} {}", f as u64, f as i128, f as i8);
    let g: i128 = -2;
    println!("{} {}", g as u128, g as usize);
    let h: i16 = -32768;
    println!("{} {} {}", h as u16, h as i8, h as isize);
    let i: usize = 4294967296;
    println!("{} {}", i as u32, i as i64);
}
