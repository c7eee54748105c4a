mod math {
    pub fn add(a: i32, b: i32) -> i32 {
        a + b
    }

    pub fn twice(a: i32) -> i32 {
        helper(a) + helper(a)
    }

    fn helper(a: i32) -> i32 {
        a
    }

    pub const ZERO: i32 = 0;
    pub static ONE: i32 = 1;
}

fn main() {
    println!("{}", math::add(2, 3));
    println!("{}", math::twice(21));
    println!("{} {}", math::ZERO, math::ONE);
}
