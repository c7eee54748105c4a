use std::process;

fn main() {
    println!("exiting with 3");
    process::exit(3);
}
