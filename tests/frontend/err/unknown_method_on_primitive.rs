fn main() {
    let x = 5i32.frobnicate();
    let y = 'c'.chars();
}
