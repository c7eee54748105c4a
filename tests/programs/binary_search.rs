fn search(sorted: &[i64], target: i64) -> (bool, usize) {
    let mut lo = 0;
    let mut hi = sorted.len();
    while lo < hi {
        let mid = lo + (hi - lo) / 2;
        if sorted[mid] == target {
            return (true, mid);
        } else if sorted[mid] < target {
            lo = mid + 1;
        } else {
            hi = mid;
        }
    }
    (false, lo)
}

fn main() {
    let data = [-40, -3, 0, 7, 7, 19, 256, 1000, 4096];
    let targets = [7, -40, 4096, 5, -100, 5000];
    for i in 0..targets.len() {
        let (found, at) = search(&data, targets[i]);
        println!("{:>5}: found={:<5} index={}", targets[i], found, at);
    }
}
