const VALUES: [u32; 13] = [1000, 900, 500, 400, 100, 90, 50, 40, 10, 9, 5, 4, 1];
const SYMBOLS: [&str; 13] = ["M", "CM", "D", "CD", "C", "XC", "L", "XL", "X", "IX", "V", "IV", "I"];

fn print_roman(mut n: u32) -> usize {
    let mut len = 0;
    for i in 0..VALUES.len() {
        while n >= VALUES[i] {
            print!("{}", SYMBOLS[i]);
            len += SYMBOLS[i].len();
            n -= VALUES[i];
        }
    }
    len
}

fn main() {
    let years = [1, 4, 9, 14, 40, 90, 400, 1666, 1987, 2024, 3999];
    for i in 0..years.len() {
        print!("{:>5} = ", years[i]);
        let len = print_roman(years[i]);
        println!(" ({} chars)", len);
    }
}
