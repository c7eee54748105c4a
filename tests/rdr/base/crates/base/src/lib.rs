//! The bottom crate: one item of every kind an edit can touch.

pub const LIMIT: u64 = 1000;

pub struct Point {
    pub x: i64,
    pub y: i64,
}

pub struct Counter {
    count: u32,
    step: u32,
}

impl Counter {
    pub fn new(step: u32) -> Counter {
        Counter { count: 0, step }
    }

    pub fn bump(&mut self) -> u32 {
        self.count += self.step;
        self.count
    }
}

/// Multiplies, then clamps to LIMIT.
pub fn scale(value: u64, factor: u64) -> u64 {
    clamp(value * factor)
}

fn clamp(v: u64) -> u64 {
    if v > LIMIT {
        LIMIT
    } else {
        v
    }
}

#[inline]
pub fn fast_double(v: u64) -> u64 {
    mix(v) * 2
}

fn mix(v: u64) -> u64 {
    v + 1
}

pub fn weight(n: u32) -> u64 {
    n as u64 * 3
}

pub fn spread(p: &Point) -> i64 {
    p.x * 10 + p.y
}

pub fn legacy() -> u64 {
    7
}
