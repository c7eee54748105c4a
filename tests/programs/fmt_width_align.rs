fn main() {
    println!("[{:5}] [{:<5}] [{:>5}] [{:^5}]", 42, 42, 42, 42);
    println!("[{:5}] [{:<5}] [{:>5}] [{:^5}]", "ab", "ab", "ab", "ab");
    println!("[{:6}] [{:^6}] [{:>6}]", 'c', true, false);
    println!("[{:^7}] [{:^8}]", "odd", "odd");
    println!("[{:1}] [{:0}]", 12345, "toolong");
    println!("[{:>10}] [{:<10}]", -12345, -1);
    println!("[{:^3}]", "centered text wider than width");
    let w = [1, 22, 333, 4444];
    for i in 0..w.len() {
        println!("|{:>6}|{:<6}|{:^6}|", w[i], w[i], w[i]);
    }
}
