fn nothing() {}

fn unit_value() -> () {
    ()
}

fn main() {
    let u = nothing();
    let v: () = unit_value();
    println!("{:?} {:?}", u, v);
    let t = true;
    let f = !t;
    println!("{} {} {} {}", t, f, t && f, t || f);
    println!("{} {}", t ^ f, t & f | t);
    println!("{} {}", t as i32, f as u8);
    println!("{:?} {:>6} {:<6}|", t, f, t);
    let b = 3 > 2;
    println!("{}", b == true);
}
