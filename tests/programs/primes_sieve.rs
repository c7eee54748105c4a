const N: usize = 200;

fn sieve() -> [bool; N] {
    let mut is_prime = [true; N];
    is_prime[0] = false;
    is_prime[1] = false;
    let mut i = 2;
    while i * i < N {
        if is_prime[i] {
            let mut j = i * i;
            while j < N {
                is_prime[j] = false;
                j += i;
            }
        }
        i += 1;
    }
    is_prime
}

fn main() {
    let p = sieve();
    let mut count = 0;
    for n in 0..N {
        if p[n] {
            print!("{:4}", n);
            count += 1;
            if count % 10 == 0 {
                println!();
            }
        }
    }
    println!();
    println!("{} primes below {}", count, N);
}
