fn main() {
    let a = 1;
    println!("{a} {b}", b = 3, c = 4);
}
