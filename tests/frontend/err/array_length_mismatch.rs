fn main() {
    let v: [i32; 2] = [1, 2, 3];
}
