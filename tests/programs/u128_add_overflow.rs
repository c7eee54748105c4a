fn add(a: u128, b: u128) -> u128 {
    a + b
}

fn main() {
    let max = 340282366920938463463374607431768211455;
    println!("{}", add(max - 1, 1));
    println!("{}", add(max, 1));
}
