fn main() {
    let mut z = 3u8;
    for _ in 0..3 {
        z -= 1;
    }
    let x = 200u8;
    println!("{}", x % z);
}
