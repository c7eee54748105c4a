fn main() {
    let b = 1 as bool;
}
