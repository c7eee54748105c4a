struct P { x: u8 }
fn main() {
    let p = P { x: "no" };
}
