fn main() {
    let v: u8 = loop { break "s"; };
}
