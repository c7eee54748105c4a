fn main() {
    nomod::f();
}
