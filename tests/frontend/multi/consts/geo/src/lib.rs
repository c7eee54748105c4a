//! Constants and statics of every shape a dependent can use.

#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Square {
    pub side: u32,
}

pub const SIDES: usize = 4;
pub const NEG: i16 = -300;
pub const BIG: u128 = 1 << 100;
pub const FLAG: bool = SIDES > 3;
pub const LETTER: char = 'λ';
const HIDDEN_BASE: i64 = 10;
pub const LIMITS: [i64; 3] = [HIDDEN_BASE, HIDDEN_BASE * 2, SIDES as i64 * 10];
pub const UNIT: Square = Square { side: 1 };
pub const PAIR: (u8, Square) = (7, Square { side: SIDES as u32 });
pub const NAME: &str = "geo";
pub const WORDS: [&str; 2] = ["alpha", "beta"];
pub static TABLE: [u16; 4] = [1, 1, 2, 3];
pub static ORIGIN: Square = Square { side: 0 };
pub static COUNT: u64 = 99;
pub const ZEROS: [u8; 4] = [7; 4];
pub const ZREF: &[u8; 4] = &ZEROS;
pub const NESTED: ((u8, i64), [char; 2]) = ((1, -2), ['a', 'b']);
pub const ORDER: Square = Square { side: SIDES as u32 * 2 };

pub fn sum(xs: &[i64]) -> i64 {
    let mut t = 0;
    for i in 0..xs.len() {
        t += xs[i];
    }
    t
}
