//! The lib and the bin of one package share a crate name and define items of the
//! same paths: their symbols must not collide.
pub fn run() -> u32 {
    1
}

pub static LEVEL: u32 = 10;

pub mod util {
    pub fn twice(x: u32) -> u32 {
        x * 2
    }
}
