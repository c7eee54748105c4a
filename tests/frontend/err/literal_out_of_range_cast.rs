fn main() {
    let y = 300 as u8;
}
