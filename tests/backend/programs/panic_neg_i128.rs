fn neg(x: i128) -> i128 { -x }
fn main() {
    println!("{}", neg(5));
    let m = -170141183460469231731687303715884105727i128 - 1;
    println!("{}", neg(m));
}
