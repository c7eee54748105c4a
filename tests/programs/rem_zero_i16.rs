fn modulo(a: i16, b: i16) -> i16 {
    a % b
}

fn main() {
    println!("{} {} {} {}", modulo(7, 3), modulo(-7, 3), modulo(7, -3), modulo(-7, -3));
    println!("{}", modulo(5, 0));
}
