const PRIMES: [u32; 6] = [2, 3, 5, 7, 11, 13];
const ORIGIN: Point = Point { x: -1, y: 1 };
const NAME: &str = "relink";
const NESTED: [(u8, &str); 2] = [(1, "one"), (2, "two")];
const MASK: u64 = (1 << 40) - 1;
const NEG: i8 = -128;
static TABLE: [[u16; 3]; 2] = [[1, 2, 3], [4, 5, 6]];
static GREETING: &str = "hello";
static WORDS: [&str; 3] = ["a", "bb", "ccc"];
static ZERO: [u64; 100] = [0; 100];

#[derive(Debug, Clone, Copy)]
struct Point {
    x: i32,
    y: i32,
}

fn seven() -> &'static i32 {
    &7
}

fn origin_ref() -> &'static Point {
    &ORIGIN
}

fn main() {
    let mut s = 0;
    for i in 0..6 {
        s += PRIMES[i];
    }
    println!("{} {}", s, PRIMES.len());
    println!("{:?} {} {}", ORIGIN, ORIGIN.x, NAME);
    println!("{:?} {}", NESTED, NESTED[1].1);
    println!("{} {}", MASK, NEG);
    println!("{:?} {}", TABLE, TABLE[1][2]);
    println!("{} {:?} {}", GREETING, WORDS, WORDS[2].len());
    println!("{}", ZERO[99]);
    println!("{} {:?}", seven(), origin_ref());
    let r: &[u32] = &[9, 8, 7];
    println!("{:?}", r);
    let mut p = ORIGIN;
    p.x += 10;
    println!("{:?} {:?}", p, ORIGIN);
}
