fn main() {
    let a: isize = -9223372036854775807 - 1;
    let b: isize = 9223372036854775807;
    let c: usize = 18446744073709551615;
    println!("{} {} {}", a, b, c);
    println!("{} {}", a + b, c / 2);
    let len: usize = 10;
    let i: isize = -3;
    println!("{}", (len as isize + i) as usize);
    println!("{:x} {:b}", c, 5usize);
    println!("{:x}", -1isize);
    let mut count: usize = 0;
    for k in 0..len {
        count += k;
    }
    println!("{}", count);
}
