fn sign(n: i32) -> i32 {
    if n > 0 {
        1
    } else if n < 0 {
        -1
    } else if n == 0 {
        0
    } else {
        unreachable!()
    }
}

fn main() {
    println!("{} {} {}", sign(5), sign(-5), sign(0));
    let x = 3;
    if x * 2 == 6 {
        unreachable!();
    }
}
