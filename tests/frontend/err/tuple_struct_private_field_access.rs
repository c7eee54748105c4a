mod a { pub struct T(i32); pub fn mk() -> T { T(1) } }
fn main() {
    let t = a::mk();
    let v = t.0;
}
