fn main() {
    let board = [[0u8; 3]; 3];
    let moves = [(0usize, 1usize), (2, 2), (1, 3)];
    for m in 0..moves.len() {
        let (r, c) = moves[m];
        println!("({}, {}) = {}", r, c, board[r][c]);
    }
}
