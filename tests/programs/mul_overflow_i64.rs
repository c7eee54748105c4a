fn factorial(n: i64) -> i64 {
    let mut acc = 1;
    for i in 1..=n {
        acc *= i;
    }
    acc
}

fn main() {
    for n in 18..25 {
        println!("{}! = {}", n, factorial(n));
    }
}
