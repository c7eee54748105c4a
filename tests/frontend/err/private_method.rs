mod a {
    pub struct S;
    impl S { fn m(&self) {} }
}
fn main() {
    let s = a::S;
    s.m();
}
