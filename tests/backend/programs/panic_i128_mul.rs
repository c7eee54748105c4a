fn main() {
    let mut x: u128 = 3;
    loop {
        x *= 1000000007;
        println!("{}", x);
    }
}
