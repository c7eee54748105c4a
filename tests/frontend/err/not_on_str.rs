fn main() {
    let s = !"text";
}
