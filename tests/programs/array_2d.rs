fn main() {
    let mut grid = [[0u32; 5]; 4];
    for r in 0..4 {
        for c in 0..5 {
            grid[r][c] = (r * 5 + c) as u32;
        }
    }
    for r in 0..grid.len() {
        for c in 0..grid[r].len() {
            print!("{:3}", grid[r][c]);
        }
        println!();
    }
    let mut transposed = [[0u32; 4]; 5];
    for r in 0..4 {
        for c in 0..5 {
            transposed[c][r] = grid[r][c];
        }
    }
    println!("{:?}", transposed);
    let cube = [[[1u8; 2]; 2]; 2];
    println!("{:?}", cube);
}
