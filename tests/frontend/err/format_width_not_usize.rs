fn main() {
    let w = 5i32;
    println!("{:w$}", 1);
}
