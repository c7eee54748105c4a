// Integer division truncates toward zero; the remainder takes the dividend's sign.
fn show(a: i32, b: i32) {
    println!("{:>4} / {:>3} = {:>4}   {:>4} % {:>3} = {:>3}", a, b, a / b, a, b, a % b);
}

fn main() {
    show(17, 5);
    show(-17, 5);
    show(17, -5);
    show(-17, -5);
    show(0, 7);
    show(4, 9);
    let u: u32 = 17;
    println!("{} {}", u / 5, u % 5);
    let big: u64 = 18446744073709551615;
    println!("{} {}", big / 10, big % 10);
}
