//! The middle crate: uses the bottom one and re-exports part of it.

pub use rdr_base::weight;
pub use rdr_base::Point;
use rdr_base::scale;

pub fn total(a: u64, b: u64) -> u64 {
    scale(a, 2) + scale(b, 3)
}

pub fn corner(size: i64) -> Point {
    Point { x: size, y: -size }
}
