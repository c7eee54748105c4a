// Module files, use trees, visibility and re-exports.
mod geometry;
mod util {
    pub fn double(x: i32) -> i32 {
        helper(x) * 2
    }
    fn helper(x: i32) -> i32 {
        x
    }
    pub(crate) mod inner {
        pub fn triple(x: i32) -> i32 {
            super::helper(x) * 3
        }
    }
}

use geometry::shapes::{self, Rect as Rectangle};
use geometry::*;
use std::process;
use util::inner::triple;

#[cfg(test)]
mod tests {
    fn not_compiled() -> Undefined {}
}

fn main() {
    let r = Rectangle::new(2, 3);
    let s = shapes::Rect::square(4);
    println!("{} {} {} {}", r.area(), s.area(), util::double(5), triple(2));
    println!("{}", crate::geometry::ORIGIN_X + origin_y());
    if r.area() > 100 {
        process::exit(1);
    }
}
