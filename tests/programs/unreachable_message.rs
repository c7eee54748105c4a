fn weekday(n: u32) -> &'static str {
    if n == 0 {
        "Sun"
    } else if n < 6 {
        "Weekday"
    } else if n == 6 {
        "Sat"
    } else {
        unreachable!("day number {} out of range", n)
    }
}

fn main() {
    for d in 0..9 {
        println!("{}", weekday(d));
    }
}
