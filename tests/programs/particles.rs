#[derive(Debug, Clone, Copy)]
struct Particle {
    x: i32,
    y: i32,
    vx: i32,
    vy: i32,
}

impl Particle {
    fn step(&mut self, w: i32, h: i32) {
        self.vy += 1;
        self.x += self.vx;
        self.y += self.vy;
        if self.x < 0 || self.x >= w {
            self.vx = -self.vx;
            self.x = if self.x < 0 { -self.x } else { 2 * (w - 1) - self.x };
        }
        if self.y >= h {
            self.vy = -self.vy * 3 / 4;
            self.y = h - 1;
        }
    }
}

fn main() {
    let mut ps = [
        Particle { x: 0, y: 0, vx: 3, vy: 0 },
        Particle { x: 39, y: 5, vx: -2, vy: -3 },
        Particle { x: 20, y: 10, vx: 1, vy: -6 },
    ];
    let names = ['a', 'b', 'c'];
    for t in 0..12 {
        let mut row = ['.'; 40];
        for i in 0..ps.len() {
            ps[i].step(40, 20);
            if ps[i].y >= 0 {
                row[ps[i].x as usize] = names[i];
            }
        }
        print!("t={:2} ", t);
        for c in 0..row.len() {
            print!("{}", row[c]);
        }
        println!();
    }
    println!("{:?}", ps);
}
