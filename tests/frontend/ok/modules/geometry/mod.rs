pub mod shapes;

pub const ORIGIN_X: i32 = 0;

pub fn origin_y() -> i32 {
    shapes::Rect::square(0).area()
}
