fn bump(x: u8) -> u8 {
    let y = x + 10;
    y
}

fn main() {
    let mut v = 200;
    while v < 255 {
        v = bump(v);
        println!("v = {}", v);
    }
}
