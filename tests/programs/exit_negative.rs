fn main() {
    print!("bye");
    std::process::exit(-2);
}
