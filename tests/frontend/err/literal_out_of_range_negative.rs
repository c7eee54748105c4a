fn main() {
    let w: i8 = -129;
}
