fn ratio(a: i32, b: i32) -> i32 {
    a / b
}

fn main() {
    println!("{}", ratio(7, 2));
    println!("{}", ratio(-7, 2));
    println!("{}", ratio(7, 0));
}
