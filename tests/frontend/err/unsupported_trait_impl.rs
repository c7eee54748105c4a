struct S;
impl Clone for S { fn clone(&self) -> S { S } }
fn main() {}
