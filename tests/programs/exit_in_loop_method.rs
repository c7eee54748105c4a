struct Machine {
    ticks: u32,
    limit: u32,
}

impl Machine {
    fn step(&mut self) {
        self.ticks += 1;
        if self.ticks >= self.limit {
            println!("limit reached after {} ticks", self.ticks);
            std::process::exit(self.ticks as i32);
        }
    }
}

fn main() {
    let mut m = Machine { ticks: 0, limit: 12 };
    loop {
        m.step();
        if m.ticks % 5 == 0 {
            println!("tick {}", m.ticks);
        }
    }
}
