struct Counter {
    hits: u8,
}

impl Counter {
    fn hit(&mut self, n: u8) {
        self.hits += n;
    }
}

fn main() {
    let mut c = Counter { hits: 0 };
    let mut i = 0;
    while i < 10 {
        c.hit(60);
        println!("hits = {}", c.hits);
        i += 1;
    }
}
