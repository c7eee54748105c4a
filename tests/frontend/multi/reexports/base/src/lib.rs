//! Shapes in nested modules, impls spread over modules, derives, consts and statics.

pub mod shapes;
mod util;

pub use shapes::circle::Circle;
pub use shapes::*;

pub const SIDES: usize = 4;
pub const UNIT: Square = Square { side: 1 };
pub const NAME: &str = "geo";
pub const LIMITS: [i64; 3] = [10, 20, SIDES as i64 * 10];
pub static GREETING: &str = "hello from geo";
pub static PLAIN: u32 = 77;

#[inline]
pub fn area_sum(a: &Square, b: &Square) -> u64 {
    util::area(a) + util::area(b)
}

pub fn make(side: u32) -> Square {
    Square { side }
}

impl Square {
    pub fn doubled(&self) -> Square {
        Square { side: self.side * 2 }
    }
}
