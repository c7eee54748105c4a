const UNIT: u32 = 1;

#[derive(Debug)]
struct Rect {
    w: u32,
    h: u32,
}

impl Rect {
    fn new(w: u32, h: u32) -> Rect {
        Rect { w, h }
    }

    fn square(side: u32) -> Self {
        Self { w: side, h: side }
    }

    fn unit() -> Rect {
        Rect::new(UNIT, UNIT)
    }

    fn area(&self) -> u32 {
        self.w * self.h
    }

    fn can_hold(&self, other: &Rect) -> bool {
        self.w > other.w && self.h > other.h
    }
}

fn main() {
    let a = Rect::new(10, 4);
    let b = Rect::square(3);
    let c = Rect::unit();
    println!("{:?} {:?} {:?}", a, b, c);
    println!("{} {} {}", a.area(), b.area(), c.area());
    println!("{} {}", a.can_hold(&b), b.can_hold(&a));
    println!("{}", Rect::area(&a));
}
