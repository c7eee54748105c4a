fn main() {
    let a = 1;
    panic!(a);
}
