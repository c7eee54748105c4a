// Literals, arithmetic, inference and control flow of Level 1.
#![allow(dead_code, unused_variables, unused_assignments)]

const LIMIT: u32 = 10 * 4 + 2;
static GREETING: &str = "hello";

fn add(a: i64, b: i64) -> i64 {
    a + b
}

fn classify(n: i32) -> &'static str {
    if n < 0 {
        "negative"
    } else if n == 0 {
        "zero"
    } else {
        "positive"
    }
}

fn main() {
    let a = 1_000;
    let b: u8 = 0xFF;
    let c = 0o17 + 0b1010;
    let d = 5u64;
    let e = d * 2;
    let big: i128 = 170141183460469231731687303715884105727;
    let small = -128i8;
    let ch = 'x';
    let esc = '\u{1F600}';
    let byte = b'a';
    let s = "tab\tnewline\n\"quoted\"";
    let raw = r#"raw "string""#;
    let mut total = 0;
    for i in 0..LIMIT {
        total += i;
    }
    for i in (1..=3).rev() {
        total -= i;
    }
    let mut n = 0;
    while n < 5 {
        n += 1;
        if n == 3 {
            continue;
        }
    }
    let found = loop {
        n -= 1;
        if n == 2 {
            break n * 10;
        }
    };
    'outer: for x in 0..10 {
        for y in 0..10 {
            if x * y > 20 {
                break 'outer;
            }
            if y > x {
                continue 'outer;
            }
        }
    }
    let shifted = 1u32 << 3 >> 1;
    let bits = (a & 0xF) | (c ^ 3);
    let cmp = a >= 10 && !(b < 3) || false;
    let cast = (b as i32) + (ch as i32) + (true as i32) + (65u8 as char) as i32;
    let sum = add(1, 2) + e as i64;
    let unit = ();
    let kind = classify(-5);
    println!("{} {} {} {} {}", a, b, c, total, found);
    println!("{big} {small} {ch} {esc} {byte} {s} {raw}");
    println!("{} {} {} {} {}", shifted, bits, cmp, cast, sum);
    println!("{:?} {} {}", unit, kind, GREETING);
}
