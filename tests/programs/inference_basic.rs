// Integer literals take their type from how they are used in the function.
struct Sample {
    small: i8,
    big: u64,
}

fn wants_u64(v: u64) -> u64 {
    v * 3
}

fn returns_u128() -> u128 {
    let x = 1;
    x << 100
}

fn main() {
    let a = 4_000_000_000;
    println!("{}", wants_u64(a));
    println!("{}", returns_u128());
    let arr = [10, 20, 30, 40];
    let i = 3;
    println!("{}", arr[i]);
    let j = i - 1;
    println!("{}", arr[j]);
    let s = Sample { small: -100, big: 10_000_000_000 };
    println!("{} {}", s.small, s.big * 2);
    let t: (u8, i64) = (255, -5_000_000_000);
    println!("{:?}", t);
    let b = [1, 2, 3];
    let c: [u16; 3] = b;
    println!("{:?}", c);
    let mut d = 0;
    let e: i128 = 170141183460469231731687303715884105727;
    if e > d {
        d = e - 1;
    }
    println!("{}", d);
    let k = 7;
    let m: u32 = k;
    println!("{}", m / 2);
    let plain = 2147483647;
    println!("{}", plain);
}
