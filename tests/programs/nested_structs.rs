#[derive(Debug, Clone, Copy)]
struct Point {
    x: i32,
    y: i32,
}

#[derive(Debug)]
struct Segment {
    from: Point,
    to: Point,
}

#[derive(Debug)]
struct Shape {
    name: &'static str,
    edges: [Segment; 2],
    center: (Point, u8),
}

impl Segment {
    fn length_sq(&self) -> i32 {
        let dx = self.to.x - self.from.x;
        let dy = self.to.y - self.from.y;
        dx * dx + dy * dy
    }
}

fn main() {
    let a = Point { x: 0, y: 0 };
    let b = Point { x: 3, y: 4 };
    let c = Point { x: -3, y: 4 };
    let s = Shape {
        name: "vee",
        edges: [Segment { from: a, to: b }, Segment { from: a, to: c }],
        center: (Point { x: 0, y: 2 }, 1),
    };
    println!("{:?}", s);
    println!("{} {}", s.edges[0].length_sq(), s.edges[1].length_sq());
    println!("{}", s.center.0.y);
    let mut t = s;
    t.edges[1].to.x = 10;
    t.center.1 += 1;
    println!("{:?} {:?}", t.edges[1], t.center);
    println!("{:?}", t.edges[0]);
}
