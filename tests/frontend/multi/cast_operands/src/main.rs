// A cast does not push its type into its operand (as rustc): only a bare literal
// operand takes the cast's type; anything else is inferred on its own.
fn digit(i: usize) -> u8 {
    (49 + i) as u8
}

fn wide(c: bool) -> u32 {
    (if c { -2i16 } else { 3i16 }) as u32
}

fn main() {
    let mut sum = 0u32;
    for i in 0..9 {
        sum += digit(i) as u32;
    }
    let a = (1 + 2) as u8;
    let b = (200 + 100) as u8;
    let c = (if sum > 3 { 1 } else { 2 }) as u64;
    let v: u64 = 300;
    let d = (v * 2) as i8;
    let e = -1i8 as u8;
    let f = 97 as u8 as char;
    println!("{} {} {} {} {} {} {} {} {}", sum, wide(true), wide(false), a, b, c, d, e, f);
}
