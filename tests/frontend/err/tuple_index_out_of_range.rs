fn main() {
    let t = (1, 2);
    let x = t.5;
}
