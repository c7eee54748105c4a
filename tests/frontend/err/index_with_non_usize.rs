fn main() {
    let a = [1, 2];
    let i: i64 = 0;
    let x = a[i];
}
