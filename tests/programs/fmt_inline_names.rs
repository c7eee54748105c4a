fn main() {
    let name = "Ferris";
    let age = 7;
    let score = -3;
    println!("{name} is {age} years old");
    println!("{name:>10}|{age:<4}|{score:+}");
    println!("{age:#x} {age:b} {age:05}");
    println!("{name:?} {score:?}");
    let pair = (1, 2);
    println!("{pair:?}");
    let width_name = "w";
    println!("[{width_name:^5}]");
    println!("{name}{name}{0}", age);
}
