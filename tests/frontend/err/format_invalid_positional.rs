fn main() {
    let a = 1;
    println!("{0} {2}", a, a);
}
