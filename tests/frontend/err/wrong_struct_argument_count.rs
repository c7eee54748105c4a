struct T(i32, i32);
fn main() {
    let t = T(1);
}
