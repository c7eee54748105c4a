pub mod shapes {
    #[derive(Debug, Clone, Copy, PartialEq)]
    pub struct Sq { pub side: u32 }
    pub fn make(s: u32) -> Sq { Sq { side: s } }
    pub fn pair(a: &str, b: &[u8]) -> (usize, usize) { (a.len(), b.len()) }
}
pub use shapes::*;
pub fn words() -> &'static str { "w" }
