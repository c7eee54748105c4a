fn f(a: i16, b: i16) -> i16 { a / b }
fn main() {
    println!("{}", f(-32768, 2));
    let m = -1;
    println!("{}", f(-32768, m));
}
