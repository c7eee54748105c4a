#[derive(Debug)]
pub struct Point {
    pub x: i32,
    pub y: i32,
}

impl Point {
    pub fn new(x: i32, y: i32) -> Point {
        Point { x, y }
    }
}

fn abs(v: i32) -> i32 {
    if v < 0 { -v } else { v }
}

pub fn manhattan(a: &Point, b: &Point) -> i32 {
    abs(a.x - b.x) + abs(a.y - b.y)
}
