#[derive(Debug)]
struct Matrix2 {
    m: [[i32; 2]; 2],
}

impl Matrix2 {
    fn identity() -> Matrix2 {
        Matrix2 { m: [[1, 0], [0, 1]] }
    }

    fn mul(&self, o: &Matrix2) -> Matrix2 {
        let mut r = [[0; 2]; 2];
        for i in 0..2 {
            for j in 0..2 {
                for k in 0..2 {
                    r[i][j] += self.m[i][k] * o.m[k][j];
                }
            }
        }
        Matrix2 { m: r }
    }

    fn det(&self) -> i32 {
        self.m[0][0] * self.m[1][1] - self.m[0][1] * self.m[1][0]
    }
}

fn main() {
    let a = Matrix2 { m: [[1, 1], [1, 0]] };
    let mut p = Matrix2::identity();
    for n in 1..=10 {
        p = p.mul(&a);
        println!("{:2}: {:?} det={}", n, p.m, p.det());
    }
    println!("{:?}", Matrix2::identity());
}
