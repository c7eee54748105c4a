fn main() {
    let a = {
        let b = 3;
        let c = 4;
        b * b + c * c
    };
    println!("{}", a);
    let d = { 10 };
    let e = {
        println!("side effect");
        d + 1
    };
    println!("{} {}", d, e);
    let f = if a > 20 { "big" } else { "small" };
    println!("{}", f);
    let g = {
        let mut acc = 0;
        let mut i = 0;
        while i < 5 {
            acc += i;
            i += 1;
        }
        acc
    };
    println!("{}", g);
    let h: () = {};
    println!("{:?}", h);
    let nested = { { { 7 } } };
    println!("{}", nested);
}
