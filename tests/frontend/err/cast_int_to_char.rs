fn main() {
    let c = 66u32 as char;
}
