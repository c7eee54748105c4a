fn implemented() -> u32 {
    7
}

fn not_yet() -> u32 {
    todo!()
}

fn main() {
    println!("{}", implemented());
    println!("{}", not_yet());
}
