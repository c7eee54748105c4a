mod math;

fn main() {
    let mut x: u16 = 1;
    for i in 0..20 {
        x = math::double(x);
        println!("{}: {}", i, x);
    }
}
