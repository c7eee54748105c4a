fn main() {
    assert_eq!(1u8, true);
}
