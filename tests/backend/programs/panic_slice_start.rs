fn main() {
    let a = [1, 2, 3];
    let n = a.len() + 1;
    println!("{:?}", &a[n..]);
}
