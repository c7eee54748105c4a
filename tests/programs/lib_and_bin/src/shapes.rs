#[derive(Debug, Clone, Copy)]
pub struct Circle {
    pub r: u32,
}

impl Circle {
    pub fn area_x100(&self) -> u32 {
        314 * self.r * self.r
    }

    pub fn grow(&mut self, by: u32) {
        self.r += by;
    }
}
