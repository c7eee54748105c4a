fn main() {
    let t = true;
    let f = false;
    println!("{} {} {} {}", t as i32, f as i32, t as u8, t as i128);
    let letters = ['A', 'z', '0', 'é', '€', '🦀'];
    for i in 0..letters.len() {
        let c = letters[i];
        println!("{} {} {} {}", c, c as u32, c as u8, c as i64);
    }
    let digit = '7';
    let value = digit as u32 - '0' as u32;
    println!("{}", value * 6);
    let n = (t as i32) + (t as i32) + (f as i32);
    println!("{}", n);
}
