fn sum(v: &[i64]) -> i64 {
    let mut s = 0;
    for i in 0..v.len() {
        s += v[i];
    }
    s
}

fn main() {
    let a = [1i64, 2, 3, 4, 5, 6];
    println!("{}", sum(&a[1..4]));
    println!("{}", sum(&a[..2]));
    println!("{}", sum(&a[3..]));
    println!("{}", sum(&a[..]));
    println!("{}", sum(&a[2..=4]));
    println!("{}", sum(&a[..=0]));
    let s: &[i64] = &a;
    let t = &s[1..5];
    let u = &t[1..3];
    println!("{:?} {:?} {}", t, u, u.len());
    let mut m = [0u8; 5];
    let w = &mut m[1..4];
    w[0] = 7;
    w[2] = 9;
    println!("{:?}", m);
    let e = &a[6..];
    println!("{:?} {}", e, e.len());
    let lo = 2;
    let hi = 1;
    println!("{:?}", &a[lo..hi]);
}
