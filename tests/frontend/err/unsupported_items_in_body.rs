fn main() {
    fn inner() {}
    inner();
}
