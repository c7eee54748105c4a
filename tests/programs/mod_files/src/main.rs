mod geometry;
mod util;

use geometry::Point;

fn main() {
    let p = Point::new(3, 4);
    let q = Point::new(-1, 1);
    println!("{:?} {:?}", p, q);
    println!("{}", geometry::manhattan(&p, &q));
    println!("{}", util::banner("geometry"));
    println!("{}", util::clamp_add(250, 10));
}
