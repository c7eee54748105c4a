//! Private fields, a private method and a private tuple field, seen from a dependent.
pub struct Counter {
    count: u32,
    pub step: u32,
}

impl Counter {
    pub fn new() -> Counter {
        Counter { count: 0, step: 1 }
    }
    fn hidden(&self) -> u32 {
        self.count + self.step
    }
    pub fn total(&self) -> u32 {
        self.hidden()
    }
}

pub struct Tup(u32, pub u32);

pub fn tup() -> Tup {
    Tup(1, 2)
}
