fn main() {
    let a = 5;
    let b = 7;
    println!("{} {} {} {} {} {}", a == b, a != b, a < b, a <= b, a > b, a >= b);
    let c: u64 = 18446744073709551615;
    println!("{} {}", c > 0, c == 18446744073709551615);
    let d: i8 = -128;
    println!("{} {}", d < 0, d <= -128);
    println!("{} {}", 'a' < 'b', 'Z' < 'a');
    println!("{} {}", true > false, false == false);
    let e: i128 = -1;
    let f: i128 = 1;
    println!("{} {}", e < f, e >= f);
    let g: u128 = 1 << 127;
    println!("{}", g > 1 << 126);
    println!("{}", (a < b) == (b > a));
}
