fn average(total: u64, count: u64) -> u64 {
    total / count
}

fn main() {
    let totals = [100, 250, 0];
    let counts = [4, 5, 0];
    for i in 0..3 {
        println!("avg {} = {}", i, average(totals[i], counts[i]));
    }
}
