use std::collections::HashMap;

fn main() {
    let s = String::from("x");
    let n = std::env::args().count();
    std::thread::yield_now();
}
