struct Timer {
    hours: u8,
    minutes: u8,
    seconds: u8,
}

impl Timer {
    fn tick(&mut self) -> bool {
        if self.seconds > 0 {
            self.seconds -= 1;
        } else if self.minutes > 0 {
            self.minutes -= 1;
            self.seconds = 59;
        } else if self.hours > 0 {
            self.hours -= 1;
            self.minutes = 59;
            self.seconds = 59;
        } else {
            return false;
        }
        true
    }

    fn show(&self) {
        println!("{:02}:{:02}:{:02}", self.hours, self.minutes, self.seconds);
    }
}

fn main() {
    let mut t = Timer { hours: 1, minutes: 0, seconds: 3 };
    let mut n = 0u32;
    t.show();
    while t.tick() {
        n += 1;
        if n <= 5 || n % 1000 == 0 {
            t.show();
        }
    }
    t.show();
    println!("{} ticks", n);
    t.seconds -= 1;
}
