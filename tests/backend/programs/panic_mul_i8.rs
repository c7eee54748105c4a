fn f(a: i8, b: i8) -> i8 { a * b }
fn main() {
    println!("{}", f(-8, 16));
    println!("{}", f(-8, -16));
}
