#[derive(Debug)]
struct Counter {
    count: u32,
    step: u32,
}

impl Counter {
    fn new(step: u32) -> Counter {
        Counter { count: 0, step }
    }

    fn tick(&mut self) {
        self.count += self.step;
    }

    fn value(&self) -> u32 {
        self.count
    }

    fn into_total(self) -> u32 {
        self.count * 10
    }

    fn reset(&mut self) -> u32 {
        let old = self.count;
        self.count = 0;
        old
    }
}

fn main() {
    let mut c = Counter::new(3);
    c.tick();
    c.tick();
    println!("{}", c.value());
    println!("{:?}", c);
    let old = c.reset();
    println!("{} {}", old, c.value());
    c.tick();
    let total = c.into_total();
    println!("{}", total);
}
