fn main() {
    let x = 5i32;
    x.nothing();
}
