// rustc's integer-literal inference: a literal takes its type from any later use.
#![allow(unused_variables)]

fn takes_u8(x: u8) -> u8 {
    x
}

fn takes_slice(xs: &[i16]) -> usize {
    xs.len()
}

fn main() {
    let a = 200;
    takes_u8(a);
    let b = [1, 2, 3];
    takes_slice(&b);
    let mut c = 0;
    c = 4_000_000_000u32;
    let d = 1;
    let e: u64 = d << 40;
    let idx = 2;
    let f = b[idx];
    let g = -5;
    let h = (g, 300);
    let k: (i8, u16) = h;
    let m = if a > 3 { 1 } else { return };
    let n: i64 = m;
    let p = loop {
        break 1;
    };
    let q: u128 = p;
    let r = &mut [0; 3];
    r[0] = 255u8;
    println!("{} {} {} {} {} {}", a, c, e, f, n, q);
}
