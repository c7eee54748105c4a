fn main() {
    let p = Point { x: 1 };
}
