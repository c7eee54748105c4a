fn find(limit: u32) -> Option32 {
    let mut n = 0u32;
    let r = 'outer: loop {
        n += 1;
        for i in n..limit {
            for j in 0..limit {
                if i * j == 12 {
                    break 'outer (i, j);
                }
                if j > i {
                    continue 'outer;
                }
            }
        }
        if n > 100 {
            break (99, 99);
        }
    };
    Option32 { a: r.0, b: r.1 }
}

#[derive(Debug)]
struct Option32 {
    a: u32,
    b: u32,
}

fn main() {
    let mut count = 0u32;
    for x in 0u8..=255 {
        count += x as u32;
    }
    println!("{}", count);
    for x in (250u8..=255).rev() {
        print!("{} ", x);
    }
    println!();
    for x in (-3i8..3).rev() {
        print!("{} ", x);
    }
    println!();
    for _ in 5..5 {
        println!("never");
    }
    for _ in 5..=4 {
        println!("never");
    }
    for x in 127i8..=127 {
        println!("one {}", x);
    }
    for x in (170141183460469231731687303715884105725i128)..=170141183460469231731687303715884105727 {
        println!("{}", x);
    }
    let mut k = 0;
    for x in 0..=10 {
        if x % 2 == 0 {
            continue;
        }
        k += x;
    }
    println!("{}", k);
    let v = loop {
        k -= 1;
        if k < 20 {
            break k * 2;
        }
    };
    println!("{}", v);
    println!("{:?}", find(10));
    let mut w = 0;
    while w < 10 {
        w += 3;
    }
    println!("{}", w);
    let nested = if w > 5 { if w > 11 { "big" } else { "mid" } } else { "small" };
    println!("{}", nested);
}
