const W: usize = 10;
const H: usize = 8;

fn step(g: &[[bool; W]; H]) -> [[bool; W]; H] {
    let mut next = [[false; W]; H];
    for r in 0..H {
        for c in 0..W {
            let mut n = 0;
            for dr in 0..3 {
                for dc in 0..3 {
                    if dr == 1 && dc == 1 {
                        continue;
                    }
                    let rr = (r + H + dr - 1) % H;
                    let cc = (c + W + dc - 1) % W;
                    if g[rr][cc] {
                        n += 1;
                    }
                }
            }
            next[r][c] = n == 3 || (n == 2 && g[r][c]);
        }
    }
    next
}

fn show(g: &[[bool; W]; H], generation: u32) {
    println!("generation {}:", generation);
    for r in 0..H {
        for c in 0..W {
            print!("{}", if g[r][c] { '#' } else { '.' });
        }
        println!();
    }
}

fn main() {
    let mut g = [[false; W]; H];
    g[0][1] = true;
    g[1][2] = true;
    g[2][0] = true;
    g[2][1] = true;
    g[2][2] = true;
    g[5][6] = true;
    g[5][7] = true;
    g[5][8] = true;
    for generation in 0..5 {
        show(&g, generation);
        g = step(&g);
    }
}
