fn level3(x: u32) -> u32 {
    if x == 0 {
        panic!("reached zero in level3");
    }
    x - 1
}

fn level2(x: u32) -> u32 {
    level3(x) * 2
}

fn level1(x: u32) -> u32 {
    let mut v = x;
    while v != 1 {
        v = level2(v / 2);
        println!("v = {}", v);
    }
    v
}

fn main() {
    println!("{}", level1(9));
}
