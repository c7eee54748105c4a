use vault::Counter;

fn main() {
    let c = Counter::new();
    let x = c.count;
    let y = c.hidden();
    let u = vault::Tup(1, 2);
    let k = Counter { count: 1, step: 2 };
    let m = Counter { step: 2 };
    let v = c.missing;
    let w: u8 = c.step;
}
