#[derive(Debug)]
struct P {
    x: i32,
    y: i32,
    name: &'static str,
    on: bool,
}

fn main() {
    let p = P { x: 1, y: -22, name: "pt", on: true };
    println!("{:5?}", p);
    println!("{:<5?}", p);
    println!("{:^7?}", p);
    println!("{:05?}", p);
    println!("{:>3?}", P { x: 255, y: 16, name: "hex", on: false });
    println!("{:08?}", [10, -11]);
    println!("{:4?}", (1, (2, 3), [4, 5]));
    println!("{:*^5?}", ((), 'c', "s"));
    println!("{:<6?}", (true, "abc", 'z'));
}
