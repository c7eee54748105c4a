struct Temperature {
    celsius: i32,
}

impl Temperature {
    fn from_celsius(c: i32) -> Temperature {
        Temperature { celsius: c }
    }
}

impl Temperature {
    fn fahrenheit(&self) -> i32 {
        self.celsius * 9 / 5 + 32
    }

    fn is_freezing(&self) -> bool {
        self.celsius <= 0
    }
}

impl Temperature {
    fn warm_by(&mut self, d: i32) {
        self.celsius += d;
    }
}

fn main() {
    let mut t = Temperature::from_celsius(-10);
    for _step in 0..3 {
        println!("{}C = {}F freezing={}", t.celsius, t.fahrenheit(), t.is_freezing());
        t.warm_by(15);
    }
}
