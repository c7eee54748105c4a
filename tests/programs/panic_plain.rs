fn main() {
    println!("about to panic");
    panic!();
}
