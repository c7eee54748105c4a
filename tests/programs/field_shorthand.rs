#[derive(Debug)]
struct Config {
    name: &'static str,
    retries: u8,
    verbose: bool,
}

fn build(name: &'static str, retries: u8) -> Config {
    let verbose = retries > 2;
    Config { name, retries, verbose }
}

fn main() {
    let c = build("server", 5);
    let d = build("client", 1);
    println!("{:?}", c);
    println!("{:?}", d);
    let name = "mixed";
    let e = Config { name, verbose: false, retries: 0 };
    println!("{:?}", e);
}
