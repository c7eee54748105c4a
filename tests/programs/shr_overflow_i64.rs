fn shr(x: i64, by: u8) -> i64 {
    x >> by
}

fn main() {
    println!("{}", shr(-1024, 3));
    println!("{}", shr(-1, 63));
    println!("{}", shr(1 << 62, 62));
    println!("{}", shr(5, 64));
}
