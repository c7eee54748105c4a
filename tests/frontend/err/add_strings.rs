fn main() {
    let t = "a" + "b";
}
