mod a { pub struct S { pub y: i32, x: i32 } }
fn main() {
    let s = a::S { y: 1, x: 2 };
}
