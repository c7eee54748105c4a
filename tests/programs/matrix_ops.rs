const SIZE: usize = 4;

#[derive(Clone, Copy)]
struct Matrix {
    cells: [[i64; SIZE]; SIZE],
}

impl Matrix {
    fn identity() -> Matrix {
        let mut cells = [[0; SIZE]; SIZE];
        for i in 0..SIZE {
            cells[i][i] = 1;
        }
        Matrix { cells }
    }

    fn from_fn_seed(seed: i64) -> Matrix {
        let mut cells = [[0; SIZE]; SIZE];
        let mut v = seed;
        for r in 0..SIZE {
            for c in 0..SIZE {
                v = (v * 31 + 7) % 19 - 9;
                cells[r][c] = v;
            }
        }
        Matrix { cells }
    }

    fn mul(&self, other: &Matrix) -> Matrix {
        let mut out = [[0; SIZE]; SIZE];
        for r in 0..SIZE {
            for c in 0..SIZE {
                let mut acc = 0;
                for k in 0..SIZE {
                    acc += self.cells[r][k] * other.cells[k][c];
                }
                out[r][c] = acc;
            }
        }
        Matrix { cells: out }
    }

    fn transpose(&self) -> Matrix {
        let mut out = self.cells;
        for r in 0..SIZE {
            for c in 0..SIZE {
                out[c][r] = self.cells[r][c];
            }
        }
        Matrix { cells: out }
    }

    fn trace(&self) -> i64 {
        let mut t = 0;
        for i in 0..SIZE {
            t += self.cells[i][i];
        }
        t
    }

    fn print(&self, title: &str) {
        println!("{}:", title);
        for r in 0..SIZE {
            for c in 0..SIZE {
                print!("{:>8}", self.cells[r][c]);
            }
            println!();
        }
    }
}

fn main() {
    let a = Matrix::from_fn_seed(3);
    let b = Matrix::from_fn_seed(11);
    a.print("A");
    b.print("B");
    let c = a.mul(&b);
    c.print("A*B");
    c.transpose().print("(A*B)^T");
    let i = Matrix::identity();
    println!("trace(A*I) = {} trace(A) = {}", a.mul(&i).trace(), a.trace());
    let mut p = a;
    for _k in 0..5 {
        p = p.mul(&a);
    }
    p.print("A^6");
}
