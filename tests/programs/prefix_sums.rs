fn main() {
    let values = [5u64, 3, 8, 1, 9, 2, 7];
    let mut prefix = [0u64; 8];
    for i in 0..values.len() {
        prefix[i + 1] = prefix[i] + values[i];
    }
    println!("{:?}", prefix);
    let queries = [(0, 7), (2, 5), (3, 4), (6, 7)];
    for q in 0..queries.len() {
        let (l, r) = queries[q];
        println!("sum[{}..{}] = {}", l, r, prefix[r] - prefix[l]);
    }
}
