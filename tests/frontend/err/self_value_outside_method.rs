struct S;
impl S { fn f() { let s = self; } }
fn main() {}
