fn shift(x: u8, by: i32) -> u8 {
    x << by
}

fn main() {
    println!("{}", shift(1, 7));
    println!("{}", shift(255, 1));
    println!("{}", shift(1, -1));
}
