fn main() {
    println!("before");
    print!("partial");
    std::process::exit(3);
}
