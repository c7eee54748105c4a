//! Re-exports part of geo and builds on it.

pub use geo::{make, Circle, Square};
pub use geo::shapes as sh;

#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Frame {
    pub inner: Square,
    pub pair: geo::Pair,
    pub tag: char,
}

pub fn frame(side: u32) -> Frame {
    Frame { inner: make(side).doubled(), pair: geo::Pair(1, 2), tag: 'f' }
}

pub fn total(frames: &[Frame]) -> u64 {
    let mut t = 0;
    for i in 0..frames.len() {
        t += frames[i].inner.area();
    }
    t
}

pub const TWICE: usize = geo::SIDES * 2;
