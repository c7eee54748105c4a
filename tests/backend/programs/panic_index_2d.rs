fn main() {
    let mut g = [[0u8; 4]; 3];
    let mut i = 0;
    while i < 10 {
        g[i / 4][i % 4] = i as u8;
        i += 1;
    }
    println!("{:?}", g);
}
