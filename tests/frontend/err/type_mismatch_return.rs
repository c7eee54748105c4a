fn f() -> u8 {
    "text"
}
fn main() {}
