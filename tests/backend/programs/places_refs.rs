#[derive(Debug, Clone, Copy, PartialEq)]
struct Inner {
    v: [u16; 3],
    flag: bool,
}

#[derive(Debug, Clone, Copy)]
struct Outer {
    a: Inner,
    b: (i8, Inner),
    name: &'static str,
}

struct Counter {
    count: u8,
    hist: [u32; 4],
}

impl Counter {
    fn bump(&mut self, i: usize) -> u8 {
        self.count += 1;
        self.hist[i % 4] += self.count as u32;
        self.count
    }

    fn take(self) -> u32 {
        self.hist[0] + self.hist[1] + self.hist[2] + self.hist[3]
    }
}

fn touch(o: &mut Outer) {
    o.a.v[1] = 77;
    o.b.1.flag = !o.b.1.flag;
    (*o).b.0 -= 3;
    let inner = &mut o.b.1;
    inner.v[2] += 5;
}

fn deeper(x: &mut [i32; 3]) {
    add_all(x, 10);
}

fn add_all(x: &mut [i32; 3], d: i32) {
    for i in 0..3 {
        x[i] += d;
    }
}

fn pick(flag: bool, a: Inner, b: Inner) -> Inner {
    if flag { a } else { b }
}

fn main() {
    let i1 = Inner { v: [1, 2, 3], flag: false };
    let mut o = Outer { a: i1, b: (5, i1), name: "outer" };
    touch(&mut o);
    println!("{:?}", o);
    let mut c = Counter { count: 250, hist: [0; 4] };
    for i in 0..5 {
        print!("{} ", c.bump(i));
    }
    println!();
    println!("{}", c.take());
    let mut arr = [1, 2, 3];
    deeper(&mut arr);
    println!("{:?}", arr);
    let mut grid = [[0u8; 3]; 2];
    let row = [7u8, 8, 9];
    grid[1] = row;
    grid[0][2] = grid[1][0] + 1;
    let copy = grid;
    grid[1][1] = 0;
    println!("{:?} {:?}", grid, copy);
    let (mut x, mut y) = (1, 2);
    let t = (y, x);
    x = t.0;
    y = t.1;
    println!("{} {}", x, y);
    let chosen = pick(x > y, i1, Inner { v: [9; 3], flag: true });
    println!("{:?} {}", chosen, chosen == i1);
    let big = loop {
        if x > 0 {
            break Inner { v: [4, 5, 6], flag: false };
        }
    };
    println!("{:?}", big);
    let idx = [2usize, 0, 1];
    let vals = [10, 20, 30];
    println!("{}", vals[idx[idx[0]]]);
    let r = &vals;
    let rr = &r;
    println!("{} {}", rr[1], (*rr).len());
    let s = Outer { a: i1, b: (1, i1), name: "n" }.b.1.v[2];
    println!("{}", s);
    let mut p = (1u8, 2u8);
    p.0 += 3;
    p.1 *= p.0;
    println!("{:?}", p);
    let unit = ();
    println!("{:?}", unit);
    let mut big_local = [0u64; 20000];
    big_local[19999] = 5;
    let mut sum = 0;
    for i in 0..20000 {
        sum += big_local[i];
    }
    println!("{}", sum);
}
