// A cast gives its type to a literal operand only; other literals unify with their
// neighbours (`(49 + i) as u8` adds usizes).
fn main() {
    let i: usize = 3;
    let a = (49 + i) as u8;
    let b: u8 = 200 + 50;
    let c = 300 as u16;
    let d = -(5) as i8;
    let e: u64 = 1 << 40;
    let f = (if i > 2 { 1 } else { i }) as u8;
    let g: i16 = -(3 * 4);
    println!("{} {} {} {} {} {} {}", a, b, c, d, e, f, g);
}
