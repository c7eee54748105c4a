struct S;
impl S { fn m(&self) {} }
impl S { fn m(&self) {} }
fn main() {}
