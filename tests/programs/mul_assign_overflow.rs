fn main() {
    let mut p: i16 = 1;
    let base = [3i16, 3, 3, 3, 3, 3, 3, 3, 3, 3];
    for i in 0..base.len() {
        p *= base[i];
        println!("3^{} = {}", i + 1, p);
    }
}
