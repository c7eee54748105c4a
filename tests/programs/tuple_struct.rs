#[derive(Debug)]
struct Meters(u32);

#[derive(Debug)]
struct Rgb(u8, u8, u8);

#[derive(Debug)]
struct Pair(i32, &'static str);

impl Rgb {
    fn brightness(&self) -> u32 {
        (self.0 as u32 + self.1 as u32 + self.2 as u32) / 3
    }
}

fn main() {
    let m = Meters(42);
    let c = Rgb(255, 128, 0);
    let p = Pair(-1, "minus one");
    println!("{} {} {} {}", m.0, c.0, c.1, c.2);
    println!("{:?} {:?} {:?}", m, c, p);
    println!("{}", c.brightness());
    let inner = m.0;
    println!("{}", inner);
    let mut d = Rgb(0, 0, 0);
    d.1 = 200;
    println!("{:?}", d);
}
