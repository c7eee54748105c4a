fn main() {
    let a: i128 = 170141183460469231731687303715884105727;
    let b: i128 = -170141183460469231731687303715884105727 - 1;
    println!("{} {}", a, b);
    let c: i128 = 12345678901234567890123456789;
    let d: i128 = -987654321987654321;
    println!("{}", c + d);
    println!("{}", c - d);
    println!("{}", d * 1000000007);
    println!("{}", c / d);
    println!("{}", c % d);
    println!("{}", -c / 7);
    println!("{}", -c % 7);
    println!("{}", c >> 40);
    println!("{}", d << 20);
    println!("{}", c & d);
    println!("{}", c | d);
    println!("{}", c ^ d);
    println!("{}", !c);
    println!("{}", c > d);
    println!("{:x} {:X}", c, d);
    println!("{:b}", c);
}
