fn show(label: &str, v: i128) {
    println!("{}: {} {:x} {:#b}", label, v, v, v & 0xff);
}

fn ushow(label: &str, v: u128) {
    println!("{}: {} {:X} {:o}", label, v, v, v >> 120);
}

fn main() {
    let a: i128 = 170141183460469231731687303715884105727;
    let b: i128 = -170141183460469231731687303715884105728;
    show("max", a);
    show("min", b);
    show("sum", a + b);
    show("diff", a - 12345678901234567890123456789);
    show("mul", 12345678901234567i128 * -98765432109876543i128);
    show("div", a / 7);
    show("rem", b % 1000000007);
    show("neg", -(a - 5));
    show("shl", 1i128 << 100);
    show("shr", b >> 3);
    show("shr127", b >> 127);
    show("and", a & 0x0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f);
    show("or", b | 1);
    show("xor", a ^ b);
    show("not", !a);
    let u: u128 = 340282366920938463463374607431768211455;
    ushow("umax", u);
    ushow("ushr", u >> 64);
    ushow("ushl", 3u128 << 126);
    ushow("udiv", u / 3);
    ushow("urem", u % 1000000000000000000000);
    ushow("umul", 18446744073709551615u128 * 18446744073709551615u128);
    ushow("cast", (-1i64) as u128);
    ushow("cast2", 255u8 as u128);
    println!("{} {} {}", (a as u64), (u as i8), (b as i16));
    println!("{} {} {}", a > b, u < 5, (u - 1) >= u);
    println!("{} {}", a == a - 0, b != b);
    let mut x: i128 = 1;
    let mut i = 0;
    while i < 20 {
        x *= -7;
        x += i;
        i += 1;
    }
    show("loop", x);
    let mut s: u32 = 0;
    for k in 0..200 {
        let v = (k as i128 - 100) * 3;
        if v > 0 {
            s += (v % 7) as u32;
        }
    }
    println!("{}", s);
    let amt: u8 = 65;
    println!("{}", 1u128 << amt);
    println!("{}", (-5i128) >> 1);
    println!("{:?} {:?}", (1i128, 2u128), [3i128, -4]);
}
