struct S;
impl S { fn m(&self, x: i32) {} }
fn main() {
    S.m(1, 2);
}
