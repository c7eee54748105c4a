fn stats(v: &[i32]) -> (i32, i32, (i32, usize)) {
    let mut lo = v[0];
    let mut hi = v[0];
    let mut sum = 0;
    for i in 0..v.len() {
        if v[i] < lo {
            lo = v[i];
        }
        if v[i] > hi {
            hi = v[i];
        }
        sum += v[i];
    }
    (lo, hi, (sum, v.len()))
}

fn main() {
    let (lo, hi, (sum, n)) = stats(&[4, -2, 9, 7]);
    println!("{} {} {} {}", lo, hi, sum, n);
    let (mut a, mut b) = (1u64, 1u64);
    for _i in 0..10 {
        let (x, y) = (b, a + b);
        a = x;
        b = y;
    }
    println!("{} {}", a, b);
    let (p, q) = (b, a);
    println!("{} {}", p, q);
    let t = ((1, 2), [3, 4], "five");
    let ((one, two), arr, five) = t;
    println!("{} {} {:?} {}", one, two, arr, five);
    let (c,) = (9,);
    println!("{}", c);
    let ((), u) = ((), 'u');
    println!("{}", u);
    let mut pair = (0, 0);
    pair.0 = 5;
    let (r0, r1) = pair;
    println!("{} {}", r0, r1);
}
