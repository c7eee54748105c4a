fn main() {
    let h = 0x;
}
