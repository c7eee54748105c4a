fn main() {
    println!("{{}}");
    println!("{{{}}}", 5);
    println!("{{ {} }} {{", "x");
    println!("}}{{");
    print!("{{no newline}}");
    println!();
    println!("{}", "{}");
    println!("{:?}", "{}");
}
