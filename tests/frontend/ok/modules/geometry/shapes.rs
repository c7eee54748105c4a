pub struct Rect {
    w: i32,
    h: i32,
}

impl Rect {
    pub fn new(w: i32, h: i32) -> Rect {
        Rect { w, h }
    }
    pub fn square(side: i32) -> Rect {
        Self::new(side, side)
    }
    pub fn area(&self) -> i32 {
        self.w * self.h
    }
}
