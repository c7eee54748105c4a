mod a {
    pub struct S;
    impl S { fn hidden() {} }
}
fn main() {
    a::S::hidden();
}
