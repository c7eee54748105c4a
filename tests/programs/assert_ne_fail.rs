fn next_id(cur: u64) -> u64 {
    if cur > 10 { cur } else { cur + 1 }
}

fn main() {
    let mut id = 8;
    for _step in 0..5 {
        let n = next_id(id);
        assert_ne!(n, id);
        println!("{} -> {}", id, n);
        id = n;
    }
}
