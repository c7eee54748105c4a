fn f(a: i32, b: i32, c: i32) -> i32 {
    let x = (a + 1) * 2;
    let y = ((((b * c)))) + x;
    y - (c - (a * 1000000000))
}
fn main() {
    println!("{}", f(1, 2, 3));
    println!("{}", f(3, 100000, 100000));
}
