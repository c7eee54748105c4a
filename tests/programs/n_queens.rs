const N: usize = 8;

fn safe(cols: &[usize; N], row: usize, col: usize) -> bool {
    for r in 0..row {
        let c = cols[r];
        if c == col {
            return false;
        }
        if row - r == if c > col { c - col } else { col - c } {
            return false;
        }
    }
    true
}

fn solve(cols: &mut [usize; N], row: usize, count: &mut u32, first: &mut [usize; N]) {
    if row == N {
        if *count == 0 {
            *first = *cols;
        }
        *count += 1;
        return;
    }
    for col in 0..N {
        if safe(cols, row, col) {
            cols[row] = col;
            solve(cols, row + 1, count, first);
        }
    }
}

fn main() {
    let mut cols = [0; N];
    let mut first = [0; N];
    let mut count = 0;
    solve(&mut cols, 0, &mut count, &mut first);
    println!("{} solutions", count);
    for r in 0..N {
        for c in 0..N {
            print!("{}", if first[r] == c { " Q" } else { " ." });
        }
        println!();
    }
}
