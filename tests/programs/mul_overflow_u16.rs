fn square(x: u16) -> u16 {
    x * x
}

fn main() {
    println!("{}", square(255));
    println!("{}", square(256));
}
