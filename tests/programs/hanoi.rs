struct Counter {
    moves: u32,
}

fn hanoi(n: u32, from: char, to: char, via: char, c: &mut Counter, print: bool) {
    if n == 0 {
        return;
    }
    hanoi(n - 1, from, via, to, c, print);
    c.moves += 1;
    if print {
        println!("move disk {} from {} to {}", n, from, to);
    }
    hanoi(n - 1, via, to, from, c, print);
}

fn main() {
    let mut c = Counter { moves: 0 };
    hanoi(3, 'A', 'C', 'B', &mut c, true);
    println!("{} moves", c.moves);
    for n in 1..=20 {
        let mut k = Counter { moves: 0 };
        hanoi(n, 'A', 'C', 'B', &mut k, false);
        if n % 5 == 0 {
            println!("n = {:2}: {:>7} moves", n, k.moves);
        }
    }
}
