fn add_one(x: &mut i32) {
    *x += 1;
}

fn largest<'a>(a: &'a i32, b: &'a i32) -> &'a i32 {
    if *a > *b { a } else { b }
}

fn sum(v: &[u32]) -> u32 {
    let mut s = 0;
    for i in 0..v.len() {
        s += v[i];
    }
    s
}

fn zero_all(v: &mut [u32; 4]) {
    for i in 0..v.len() {
        v[i] = 0;
    }
}

fn main() {
    let mut n = 5;
    add_one(&mut n);
    add_one(&mut n);
    println!("{}", n);
    let a = 3;
    let b = 9;
    let r = largest(&a, &b);
    println!("{} {}", r, *r + 1);
    let rr = &r;
    println!("{}", **rr);
    let mut arr = [1, 2, 3, 4];
    println!("{}", sum(&arr));
    {
        let m = &mut arr;
        m[0] = 10;
        (*m)[1] = 20;
    }
    println!("{:?}", arr);
    zero_all(&mut arr);
    println!("{:?}", arr);
    let s: &str = "hello";
    let sr = &s;
    println!("{} {}", sr, sr.len());
    let mut val = 1u8;
    let p = &mut val;
    *p *= 7;
    println!("{}", val);
}
