fn main() {
    print!("a");
    print!("b{}", 1);
    print!("\n");
    println!();
    println!("{}", "line");
    eprint!("err-a ");
    eprintln!("err-b {}", 2);
    eprintln!();
    print!("no trailing newline");
    eprint!("stderr without newline");
}
