mod a { struct Hidden; }
fn main() {
    let h = a::Hidden;
}
