fn main() {
    let mut h = [0u32; 4];
    let data = [1usize, 3, 2, 4];
    for i in 0..data.len() {
        h[data[i]] += 1;
    }
    println!("{:?}", h);
}
