#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct V2 {
    x: i64,
    y: i64,
}

impl V2 {
    fn add(self, o: V2) -> V2 {
        V2 { x: self.x + o.x, y: self.y + o.y }
    }

    fn scale(self, k: i64) -> V2 {
        V2 { x: self.x * k, y: self.y * k }
    }
}

fn main() {
    let a = V2 { x: 1, y: 2 };
    let b = a;
    let c = a.add(b).scale(3);
    println!("{:?} {:?} {:?}", a, b, c);
    println!("{} {}", a == b, a == c);
    println!("{}", a != c);
    let mut d = c;
    d.x = 0;
    println!("{:?} {:?}", c, d);
    assert_eq!(a, b);
    assert_ne!(a, c);
    let arr = [a; 3];
    println!("{:?}", arr);
}
