fn div(a: u128, b: u128) -> u128 { a / b }
fn main() {
    println!("{}", div(10, 3));
    println!("{}", div(10, 0));
}
