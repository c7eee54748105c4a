use crate::Square;

pub fn area(s: &Square) -> u64 {
    s.area()
}
