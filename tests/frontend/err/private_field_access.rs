mod a { pub struct S { x: i32 } pub fn mk() -> S { S { x: 1 } } }
fn main() {
    let s = a::mk();
    let v = s.x;
}
