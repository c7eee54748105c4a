//! The journal: every transfer as 10 bytes (from, to, amount as 8 little-endian
//! bytes), in the order they happened.

use crate::account::money::Cents;

pub const CAPACITY: usize = 4096;
const ENTRY: usize = 10;

pub struct Journal {
    bytes: [u8; CAPACITY],
    len: usize,
    pub entries: u32,
}

impl Journal {
    pub fn new() -> Journal {
        Journal { bytes: [0; CAPACITY], len: 0, entries: 0 }
    }

    pub fn record(&mut self, from: u8, to: u8, amount: Cents) {
        assert!(self.len + ENTRY <= CAPACITY, "journal full");
        self.bytes[self.len] = from;
        self.bytes[self.len + 1] = to;
        let mut value = amount.0 as u64;
        for k in 0..8 {
            self.bytes[self.len + 2 + k] = (value & 0xFF) as u8;
            value >>= 8;
        }
        self.len += ENTRY;
        self.entries += 1;
    }

    pub fn bytes(&self) -> &[u8] {
        &self.bytes
    }

    pub fn len(&self) -> usize {
        self.len
    }
}
