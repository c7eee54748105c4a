struct Rng {
    state: u64,
}

impl Rng {
    fn new(seed: u64) -> Rng {
        Rng { state: seed }
    }

    // Multiplication modulo 2^64 done in u128 so that it cannot overflow.
    fn next(&mut self) -> u64 {
        let x = self.state as u128 * 6364136223846793005 + 1442695040888963407;
        self.state = (x % 18446744073709551616) as u64;
        self.state >> 33
    }

    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
}

fn main() {
    let mut r = Rng::new(42);
    for _i in 0..5 {
        println!("{}", r.next());
    }
    let mut hist = [0u32; 6];
    for _i in 0..6000 {
        hist[r.below(6) as usize] += 1;
    }
    for face in 0..6 {
        println!("{}: {:>5} {}", face + 1, hist[face], hist[face] > 900);
    }
}
