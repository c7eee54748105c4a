fn f(a: u8, b: u8) -> u8 { a * b }
fn main() {
    println!("{}", f(15, 17));
    println!("{}", f(16, 16));
}
