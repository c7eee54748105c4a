fn shr(v: u32, amount: i128) -> u32 { v >> amount }
fn main() {
    println!("{}", shr(5, 1));
    println!("{}", shr(5, -1));
}
