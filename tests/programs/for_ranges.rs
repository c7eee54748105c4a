fn main() {
    for i in 0..5 {
        print!("{} ", i);
    }
    println!();
    for i in 1..=5 {
        print!("{} ", i);
    }
    println!();
    for i in (0..5).rev() {
        print!("{} ", i);
    }
    println!();
    for i in (1..=5).rev() {
        print!("{} ", i);
    }
    println!();
    for i in 5..5 {
        print!("never {}", i);
    }
    for i in 3..1 {
        print!("never {}", i);
    }
    let lo = -3;
    let hi = 3;
    for i in lo..hi {
        print!("{} ", i);
    }
    println!();
    let mut total: u64 = 0;
    for i in 0..=100u64 {
        total += i;
    }
    println!("{}", total);
    for c in 250u8..=255 {
        print!("{} ", c);
    }
    println!();
    for i in (-2i8..=2).rev() {
        print!("{} ", i);
    }
    println!();
}
