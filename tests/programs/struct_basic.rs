#[derive(Debug)]
struct Person {
    name: &'static str,
    age: u8,
    height_cm: u16,
}

fn main() {
    let p = Person { name: "Ada", age: 36, height_cm: 165 };
    println!("{} is {} years old and {} cm tall", p.name, p.age, p.height_cm);
    println!("{:?}", p);
    let mut q = Person { age: 20, name: "Bo", height_cm: 180 };
    q.age += 1;
    q.name = "Bob";
    println!("{:?}", q);
    let older = if p.age > q.age { &p } else { &q };
    println!("older: {}", older.name);
}
