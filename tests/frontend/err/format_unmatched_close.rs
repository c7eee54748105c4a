fn main() {
    println!("}");
}
