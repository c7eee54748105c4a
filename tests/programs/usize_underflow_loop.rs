fn main() {
    let data = [5, 4, 3];
    let mut i = data.len() - 1;
    loop {
        println!("data[{}] = {}", i, data[i]);
        i -= 1;
    }
}
