// tests/backend/mangle.rs — items whose v0 symbols (rustc 1.95, crate name `app`) are
// committed in mangle.expected; tests/unit/test_x64mangle.c builds the same names with
// backend/mangle.c, and tests/backend/run checks the expectations against rustc.
#![allow(dead_code, non_upper_case_globals)]

pub fn top() -> i32 { 3 }
pub fn _under() -> i32 { 4 }
pub fn café() -> i32 { 5 }
pub static COUNTER: u32 = 5;

pub mod geometry {
    pub struct Point { pub x: i64, pub y: i64 }
    impl Point {
        #[inline(never)]
        pub fn area(&self) -> i64 { self.x * self.y }
    }
    pub struct Tup(pub u8);
    impl Tup {
        #[inline(never)]
        pub fn get(&self) -> u8 { self.0 }
    }
    pub static ORIGIN: Point = Point { x: 0, y: 0 };
    pub mod inner {
        #[inline(never)]
        pub fn deep(a: i32) -> i32 { a + 1 }
    }
}

pub mod shapes {
    pub struct Pair<T> { pub a: T, pub b: T }
    impl<T: Copy> Pair<T> {
        #[inline(never)]
        pub fn first(&self) -> T { self.a }
    }
    pub trait Area { fn area(&self) -> u64; }
    impl Area for Pair<u16> {
        #[inline(never)]
        fn area(&self) -> u64 { self.a as u64 * self.b as u64 }
    }
}

#[inline(never)]
pub fn max<T: PartialOrd>(a: T, b: T) -> T { if a > b { a } else { b } }
#[inline(never)]
pub fn pick<T>(x: T) -> T { x }

pub fn outer() -> i32 {
    fn helper() -> i32 { 7 }
    helper()
}

#[no_mangle]
pub fn keep() -> u64 {
    let p = geometry::Point { x: 1, y: 2 };
    let s = shapes::Pair { a: 3u16, b: 4u16 };
    let w = shapes::Pair { a: 'x', b: 'y' };
    use shapes::Area;
    (p.area() + geometry::inner::deep(1) as i64 + geometry::Tup(3).get() as i64) as u64
        + s.area() + s.first() as u64 + w.first() as u64
        + max(1u8, 2) as u64 + max(-1i64, 2) as u64
        + pick("str").len() as u64 + pick((1i32, true)).0 as u64
        + pick([1u8; 4])[0] as u64 + pick(&[1i32, 2][..]).len() as u64
        + pick(&mut 5u128 as &mut u128).count_ones() as u64 + { pick(()); 0 }
        + outer() as u64 + top() as u64 + _under() as u64 + café() as u64
        + COUNTER as u64 + geometry::ORIGIN.x as u64
}
