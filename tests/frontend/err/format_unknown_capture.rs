fn main() {
    println!("{zz}");
}
