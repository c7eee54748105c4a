fn main() {
    let mut sum: i32 = 0;
    let mut n: i32 = 0;
    loop {
        n += 1;
        sum += n * n * n;
        if n % 50 == 0 {
            println!("n = {}, sum = {}", n, sum);
        }
    }
}
