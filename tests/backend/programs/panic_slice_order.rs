fn main() {
    let a = [1, 2, 3];
    let lo = 2;
    let hi = lo - 1;
    println!("{:?}", &a[lo..hi]);
}
