mod a { pub fn f() {} }
fn main() {
    a::g();
}
