fn main() {
    let mut x: i8 = -128;
    let divisors = [2, 1, -1];
    for i in 0..divisors.len() {
        let d: i8 = divisors[i];
        println!("{} / {} = {}", x, d, x / d);
        x = -128;
    }
}
