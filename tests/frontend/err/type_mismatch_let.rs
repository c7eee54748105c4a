fn main() {
    let y: i32 = true;
}
