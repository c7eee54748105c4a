fn shl(x: u32, by: u32) -> u32 {
    x << by
}

fn main() {
    for by in 28..40 {
        println!("1 << {} = {}", by, shl(1, by));
    }
}
