fn main() {
    let x = 5;
    let r = &x;
    let rr = &r;
    println!("{} {} {} {:?} {:?}", x, r, rr, r, rr);
    let s = "text";
    let sr = &s;
    println!("{} {:?} {:>6}", sr, sr, sr);
    let mut m = 10;
    let mr = &mut m;
    *mr += 1;
    println!("{}", mr);
    println!("{:?} {:?}", (), ((), ()));
    let arr = [1, 2];
    let ar = &arr;
    println!("{:?} {:?}", ar, &ar);
    let t = (&x, &s);
    println!("{:?}", t);
}
