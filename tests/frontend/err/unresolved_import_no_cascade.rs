mod a { pub fn f() {} }
use a::nothere;
use zzz::q;
fn main() {
    nothere();
    q::g();
    let x: nothere = 1;
}
