fn main() {
    let k = 5u8 + 3i32;
}
