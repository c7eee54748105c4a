fn add(a: i32, b: i32) -> i32 {
    a + b
}

fn main() {
    println!("{}", add(2147483600, 47));
    println!("{}", add(-2147483648, 0));
    println!("{}", add(2147483647, 1));
    println!("unreachable");
}
