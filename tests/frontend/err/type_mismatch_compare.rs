fn main() {
    let b = 1u8 == 1u16;
}
