#[derive(Debug)]
struct Q { x: i32 }
fn main() {
    let q = Q { x: 2 };
    println!("{:x}", q);
}
