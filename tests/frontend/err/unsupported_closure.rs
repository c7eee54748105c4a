fn main() {
    let f = |x: i32| x + 1;
}
