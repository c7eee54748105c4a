const MAX_ITEMS: usize = 4;
const GREETING: &str = "hi";
const SQUARES: [u32; 4] = [0, 1, 4, 9];
const LIMIT: i64 = 1 << 40;
const MIXED: i32 = (7 * 6 + 1) / 2 - 3 % 2;
static COUNTER_START: u64 = 100;
static NAMES: [&str; 3] = ["ann", "bob", "cy"];
static ORIGIN: (i32, i32) = (0, -1);

fn main() {
    let mut total = 0;
    for i in 0..MAX_ITEMS {
        total += SQUARES[i];
    }
    println!("{} {} {}", GREETING, total, LIMIT);
    println!("{}", MIXED);
    println!("{}", COUNTER_START + 1);
    for i in 0..NAMES.len() {
        println!("{}: {}", i, NAMES[i]);
    }
    println!("{:?}", ORIGIN);
    println!("{}", ORIGIN.0 - ORIGIN.1);
}
