fn main(x: i32) {}
