fn main() {
    let code = 256 + 45;
    println!("exit {}", code);
    std::process::exit(code);
}
