fn main() {
    let a = [1, 2, 3];
    let n = a.len() + 2;
    println!("{:?}", &a[1..n]);
}
