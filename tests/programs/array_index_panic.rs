fn get(a: &[u32; 4], i: usize) -> u32 {
    a[i]
}

fn main() {
    let a = [10, 20, 30, 40];
    for i in 0..6 {
        println!("a[{}] = {}", i, get(&a, i));
    }
}
