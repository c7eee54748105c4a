use geo_base::{Opaque, Pair, GREETING, LIMITS};
use mid::sh::circle;
use mid::{Frame, Square};

fn main() {
    let mut s = mid::make(3);
    s.grow(2);
    println!("{:?} area {}", s, s.area());
    let f = mid::frame(4);
    let g = Frame { inner: Square { side: 8 }, pair: Pair(1, 2), tag: 'f' };
    println!("{:?}", f);
    println!("equal {} {}", f == g, f.pair == Pair(1, 3));
    let frames = [f, g, mid::frame(1)];
    println!("total {}", mid::total(&frames));
    let c = circle::Circle::unit().scaled(5);
    println!("{:?} {:?}", c, mid::Circle { r: -2 });
    let arr = [0u8; mid::TWICE];
    println!("{} {} {:?} {}", arr.len(), geo_base::SIDES, LIMITS, geo_base::NAME);
    println!("{:?} {}", geo_base::UNIT, geo_base::area_sum(&s, &geo_base::UNIT));
    println!("{} {}", GREETING, geo_base::PLAIN);
    let o = Opaque::new(7);
    println!("{} {}", o.shown, o.secret());
    let copy = s;
    println!("{}", copy == s);
}
