fn main() {
    let e = "\q";
}
