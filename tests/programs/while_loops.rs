fn main() {
    let mut n = 27u64;
    let mut steps = 0;
    while n != 1 {
        if n % 2 == 0 {
            n /= 2;
        } else {
            n = 3 * n + 1;
        }
        steps += 1;
    }
    println!("collatz(27) takes {} steps", steps);
    let mut i = 0;
    while i < 3 {
        let mut j = 0;
        while j < 3 {
            print!("{}{} ", i, j);
            j += 1;
        }
        println!();
        i += 1;
    }
    let mut k = 10;
    while k > 0 {
        k -= 3;
        if k == 4 {
            continue;
        }
        println!("k = {}", k);
    }
}
