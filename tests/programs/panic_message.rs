fn check(level: u32) {
    if level > 3 {
        panic!("level too high");
    }
    println!("level {} ok", level);
}

fn main() {
    for l in 0..10 {
        check(l);
    }
}
