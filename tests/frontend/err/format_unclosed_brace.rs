fn main() {
    println!("{");
}
