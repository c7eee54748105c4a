fn main() {
    let a = [0u8; 3000000000];
    println!("{}", a[5]);
}
