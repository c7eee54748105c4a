fn noisy(label: &str, v: bool) -> bool {
    println!("eval {}", label);
    v
}

fn safe_div(a: i32, b: i32) -> bool {
    b != 0 && a / b > 2
}

fn main() {
    if noisy("a", false) && noisy("b", true) {
        println!("and: yes");
    }
    if noisy("c", true) || noisy("d", true) {
        println!("or: yes");
    }
    let r = noisy("e", true) && noisy("f", false) || noisy("g", true);
    println!("{}", r);
    println!("{} {}", safe_div(10, 0), safe_div(10, 3));
    let x = 5;
    let in_range = x > 0 && x < 10;
    let outside = x < 0 || x > 10;
    println!("{} {}", in_range, outside);
    println!("{}", !(x == 5) || x == 5);
}
