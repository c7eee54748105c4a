struct S { x: i32 }
fn main() {
    let s = S;
}
