fn main() {
    let mut x = 1u8;
    x = 300u16;
}
