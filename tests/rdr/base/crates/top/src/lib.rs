//! The top library: sees the bottom crate only through the middle one.

use rdr_mid::Point;

pub fn report(n: u32) -> u64 {
    let p: Point = rdr_mid::corner(n as i64);
    let w = rdr_mid::weight(7);
    w + rdr_mid::total(n as u64, 1) + (p.x - p.y) as u64
}
