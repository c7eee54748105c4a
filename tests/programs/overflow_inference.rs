// The literal 250 becomes a u8 because of how x is used later; the addition overflows u8.
fn take(v: u8) -> u8 {
    v
}

fn grow(start: u8) {
    let mut x = 250;
    x = take(start) - 250 + x;
    let mut step = 1;
    while step < 10 {
        x = x + step;
        println!("x = {}", x);
        step += 1;
    }
}

fn main() {
    grow(250);
}
