pub mod circle;

#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Square {
    pub side: u32,
}

impl Square {
    pub fn area(&self) -> u64 {
        self.side as u64 * self.side as u64
    }
}

impl Square {
    pub fn grow(&mut self, by: u32) {
        self.side += by;
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Pair(pub u8, pub u16);

pub struct Opaque {
    secret: u64,
    pub shown: u8,
}

impl Opaque {
    pub fn new(shown: u8) -> Opaque {
        Opaque { secret: shown as u64 * 1000, shown }
    }
    pub fn secret(&self) -> u64 {
        self.secret
    }
}
