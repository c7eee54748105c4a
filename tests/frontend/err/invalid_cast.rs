fn main() {
    let r = &5;
    let x = r as u32;
}
