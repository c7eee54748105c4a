fn divmod(a: u32, b: u32) -> (u32, u32) {
    (a / b, a % b)
}

fn min_max(v: &[i32]) -> (i32, i32) {
    let mut lo = v[0];
    let mut hi = v[0];
    for i in 1..v.len() {
        if v[i] < lo {
            lo = v[i];
        }
        if v[i] > hi {
            hi = v[i];
        }
    }
    (lo, hi)
}

fn swap(p: (i32, &str)) -> (&str, i32) {
    (p.1, p.0)
}

fn main() {
    let (q, r) = divmod(17, 5);
    println!("{} {}", q, r);
    let mm = min_max(&[3, -9, 27, 4]);
    println!("{:?} {} {}", mm, mm.0, mm.1);
    let (name, n) = swap((7, "seven"));
    println!("{} {}", name, n);
    let ((a, b), c) = ((1, 2), 'c');
    println!("{} {} {}", a, b, c);
    let nested = ((1, (2, 3)), 4);
    println!("{} {} {}", (nested.0).1.0, nested.0.1.1, nested.1);
    let mut t = (0u8, false);
    t.0 = 9;
    t.1 = !t.1;
    println!("{:?}", t);
    let (mut x, y) = (1, 2);
    x += y;
    println!("{}", x);
}
