mod shapes {
    #[derive(Debug)]
    pub struct Square {
        pub side: u32,
    }

    #[derive(Debug)]
    pub struct Circle {
        pub r: u32,
    }

    pub fn area_square(s: &Square) -> u32 {
        s.side * s.side
    }

    pub fn area_circle_approx(c: &Circle) -> u32 {
        3 * c.r * c.r
    }

    pub mod units {
        pub const CM: &str = "cm";
        pub const MM: &str = "mm";
    }
}

use shapes::{area_circle_approx, area_square, Circle};
use shapes::Square as Sq;
use shapes::units::*;
use crate::shapes::units;

fn main() {
    let s = Sq { side: 4 };
    let c = Circle { r: 2 };
    println!("{:?} {} {}", s, area_square(&s), CM);
    println!("{:?} {} {}", c, area_circle_approx(&c), MM);
    println!("{}", units::CM);
}
