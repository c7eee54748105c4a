fn main() {
    let x = 5;
    let x = x * 2;
    {
        let x = "inner";
        println!("inner x = {}", x);
    }
    println!("x = {}", x);
    let x = x as u8;
    let x = (x, x + 1);
    println!("{:?}", x);
    let spaces = "   ";
    let spaces = spaces.len();
    println!("{}", spaces);
    let mut y = 1;
    y += 1;
    let y = y;
    println!("{}", y);
}
