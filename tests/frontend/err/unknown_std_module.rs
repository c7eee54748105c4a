fn main() {
    std::nothing_here::f();
}
