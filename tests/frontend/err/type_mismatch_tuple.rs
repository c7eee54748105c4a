fn main() {
    let t: (i32, bool) = (1, 2);
}
