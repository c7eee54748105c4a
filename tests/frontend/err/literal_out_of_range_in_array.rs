fn main() {
    let a: [u8; 2] = [1, 256];
}
