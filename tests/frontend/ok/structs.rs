// Structs, impls, methods with auto-ref/auto-deref, derives, tuples and arrays.
#![allow(dead_code)]

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Point {
    x: i32,
    y: i32,
}

#[derive(Debug, Clone, PartialEq)]
struct Pair(u8, i64);

#[derive(Debug)]
struct Unit;

struct Counter {
    count: u32,
    history: [u32; 4],
}

impl Point {
    fn new(x: i32, y: i32) -> Point {
        Point { x, y }
    }
    fn origin() -> Self {
        Self { x: 0, y: 0 }
    }
    fn manhattan(&self) -> i32 {
        let dx = if self.x < 0 { -self.x } else { self.x };
        let dy = if self.y < 0 { -self.y } else { self.y };
        dx + dy
    }
    fn moved(self, dx: i32) -> Point {
        let p = Point::noop(self);
        Point { x: p.x + dx, y: p.y }
    }
    fn noop(p: Point) -> Point {
        p
    }
    fn scale(&mut self, k: i32) {
        self.x *= k;
        self.y *= k;
    }
}

impl Counter {
    fn bump(&mut self) -> u32 {
        self.history[(self.count % 4) as usize] = self.count;
        self.count += 1;
        self.count
    }
}

fn total(values: &[u32]) -> u32 {
    let mut t = 0;
    let mut i = 0;
    while i < values.len() {
        t += values[i];
        i += 1;
    }
    t
}

fn swap(pair: (i32, bool)) -> (bool, i32) {
    let (a, b) = pair;
    (b, a)
}

fn main() {
    let mut p = Point::new(3, -4);
    let q = p;
    p.scale(2);
    let r = &mut p;
    r.scale(1);
    let d = r.manhattan();
    let rr = &r;
    let d2 = rr.manhattan();
    let o = Point::origin();
    println!("{:?} {:?} {} {} {}", p, q, d, d2, o == q);
    let pair = Pair(7, -1);
    let copy = pair.clone();
    println!("{:?} {} {}", copy, pair == copy, copy.0);
    println!("{:?}", Unit);
    let mut c = Counter { count: 0, history: [0; 4] };
    c.bump();
    c.bump();
    println!("{} {}", c.bump(), total(&c.history));
    let arr = [1u32, 2, 3];
    let slice: &[u32] = &arr;
    println!("{} {} {}", total(&arr), slice.len(), arr.len());
    let nested = ((1, 2), [3, 4]);
    println!("{} {} {:?}", nested.0.1, nested.1[0], swap((5, true)));
    let text = "hello";
    println!("{}", text.len());
}
