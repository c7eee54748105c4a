fn neg(x: i128) -> i128 {
    -x
}

fn main() {
    let min = -170141183460469231731687303715884105727 - 1;
    println!("{}", neg(min + 1));
    println!("{}", neg(min));
}
