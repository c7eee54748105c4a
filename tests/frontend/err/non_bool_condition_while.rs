fn main() {
    while 1 {}
}
