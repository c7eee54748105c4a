fn main() {
    let x: u16 = 60000;
    let y = 5000;
    println!("{}", x + y);
    let z = 1000;
    let w = x + z;
    println!("{}", w);
    println!("{}", w + y);
}
