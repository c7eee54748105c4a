pub struct Counter {
    count: u32,
    pub step: u32,
}

impl Counter {
    pub fn new() -> Counter {
        Counter { count: 0, step: 1 }
    }
    fn hidden(&self) -> u32 {
        self.count
    }
    fn helper() -> u32 {
        3
    }
}

pub struct Tup(u32, pub u32);

fn private_fn() -> u32 {
    1
}

pub(crate) fn crate_fn() -> u32 {
    2
}

mod inner {
    pub fn f() {}
}

pub mod open {
    pub fn g() {}
    fn h() {}
    pub struct Shown;
    struct Hidden;
}

const SECRET: u32 = 5;
static PRIVATE_STATIC: u32 = 6;

pub fn uses_all() -> u32 {
    private_fn() + crate_fn() + SECRET + PRIVATE_STATIC + Counter::helper() + Counter::new().hidden()
}
