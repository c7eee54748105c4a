fn main() {
    let vals: [i64; 6] = [0, 1, -1, 127, -128, 300];
    for i in 0..vals.len() {
        let v = vals[i];
        println!("{} {} {} {} {} {} {} {}", v as i8, v as u8, v as i16, v as u16, v as i32, v as u32, v as u64, v as usize);
    }
    let b: u8 = 200;
    println!("{} {} {} {}", b as i8, b as i32, b as char, b as u128);
    let c = 'Z';
    println!("{} {} {}", c as u8, c as u32, c as i64);
    let h = '\u{1F600}';
    println!("{} {} {}", h as u8, h as u16, h as u32);
    let t = true;
    let f = false;
    println!("{} {} {} {}", t as u8, t as i32, f as u64, t as i128);
    let n: i32 = -2;
    println!("{} {} {}", n as u8 as char, (n as u16) as i16, n as usize);
    let m: u64 = 0xFFFF_FFFF_FFFF_FFFF;
    println!("{} {} {}", m as i64, m as i32, m as u16);
    let s: i16 = -300;
    println!("{} {} {}", s as u8, s as u32, s as i128);
    let big: u32 = 4000000000;
    println!("{} {}", big as i32, big as i64);
    println!("{}", (65u8 + 1) as char);
    let x: isize = -9;
    println!("{} {}", x as usize, x as i8);
}
