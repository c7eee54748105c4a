mod a { pub fn f() {} }
use a::nothere;
fn main() {}
