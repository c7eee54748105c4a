fn main() {
    let y = 0b102;
}
