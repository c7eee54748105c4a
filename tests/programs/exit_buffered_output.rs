fn main() {
    for i in 0..1000 {
        println!("line {}", i);
    }
    print!("no newline at the end");
    eprintln!("stderr before exit");
    std::process::exit(7);
}
