#[derive(Debug)]
struct State {
    step: u32,
    value: i64,
}

fn main() {
    let s = State { step: 4, value: -17 };
    let limit = 10;
    println!("running");
    if s.value < 0 {
        panic!("bad state {:?} at step {} (limit {limit}, {:>5}|{:<5}|)", s, s.step, "r", 'l');
    }
}
