#[derive(Debug)]
pub struct Circle {
    pub r: i32,
}

impl Circle {
    pub fn unit() -> Circle {
        Circle { r: 1 }
    }
    pub fn scaled(self, k: i32) -> Circle {
        Circle { r: self.r * k }
    }
}
