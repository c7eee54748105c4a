struct P;
fn main() {
    println!("{:?}", (1, P));
}
