static LEVEL: u32 = 20;

mod util {
    pub fn twice(x: u32) -> u32 {
        x * 3
    }
}

fn run() -> u32 {
    same_names::run() + 1
}

fn main() {
    println!("{} {} {}", run(), LEVEL + same_names::LEVEL, util::twice(same_names::util::twice(1)));
}
