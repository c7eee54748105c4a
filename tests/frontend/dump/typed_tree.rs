// The typed tree the backend reads: inferred literals, coercions, receiver
// adjustments, resolved calls and fields, layouts and format pieces.
#[derive(Debug, Clone, Copy)]
struct Point {
    x: i64,
    y: u8,
}

impl Point {
    fn norm(&self) -> i64 {
        self.x * self.x + self.y as i64
    }
}

const SIDE: usize = 2 + 1;

fn total(values: &[u16]) -> u16 {
    let mut sum = 0;
    for i in 0..values.len() {
        sum += values[i];
    }
    sum
}

fn main() {
    let p = Point { y: 3, x: -4 };
    let grid = [7u16; SIDE];
    let t = total(&grid);
    let n = if t > 10 { p.norm() } else { return };
    assert!(n != 0, "n was {}", n);
    println!("{:>6} {:?} {n}", t, p);
}
