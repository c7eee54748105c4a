fn main() {
    let mut s = 60u32;
    let v = 1u64;
    loop {
        println!("{}", v << s);
        s += 1;
    }
}
