mod a;

fn main() {
    println!("{}", a::name());
    println!("{}", a::b::name());
    println!("{}", a::b::full());
}
