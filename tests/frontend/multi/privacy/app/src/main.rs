use vault::{private_fn, Counter};
use vault::nope;
use vault::inner::f;
use vault::nomod::q;
use vault::open::Hidden;

impl vault::open::Shown {}

fn main() {
    let c = Counter::new();
    let x = c.count;
    let y = c.hidden();
    let z = Counter::helper();
    let w = vault::crate_fn();
    let v = vault::nothing();
    let s = vault::SECRET;
    let t = vault::PRIVATE_STATIC;
    vault::open::h();
    let u = vault::Tup(1, 2);
    let k: vault::Nothing = 0;
    nocrate::f();
    vault::nomod::f();
    vault::open::yyy();
    let l = vault::uses_all() + x + y + z + w + s + t + k;
}
