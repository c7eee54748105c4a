// Paths into a dependency: globs, `self as`, a leading `::`, re-exported globs.
use geo::*;
use geo::{self as g, shapes};
fn main() {
    let s: Sq = make(3);
    let t = ::geo::shapes::make(4);
    let u = g::words();
    let v = shapes::pair(u, &[1, 2, 3]);
    println!("{:?} {:?} {} {:?} {}", s, t, u, v, words());
}
