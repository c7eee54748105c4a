#![allow(dead_code)]
#![allow(unused_variables, unused_mut)]

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Pt {
    x: i32,
    y: i32,
}

#[inline]
fn double(x: i32) -> i32 {
    x * 2
}

#[allow(non_snake_case)]
fn CamelName() -> i32 {
    1
}

#[cfg(test)]
mod tests {
    #[test]
    fn it_works() {
        assert_eq!(2 + 2, 4);
    }
}

#[cfg(test)]
fn only_in_tests() -> i32 {
    42
}

fn unused_helper() {}

fn main() {
    let mut unused = 3;
    let p = Pt { x: double(2), y: CamelName() };
    let q = p;
    println!("{:?} {:?}", p, q);
    println!("{}", p == q);
}
