struct Buffer<'a> {
    bytes: &'a [u8],
}

impl<'a> Buffer<'a> {
    fn at(&self, i: usize) -> u8 {
        self.bytes[i]
    }
}

fn main() {
    let data = [1, 2, 3];
    let b = Buffer { bytes: &data };
    println!("{}", b.at(2));
    println!("{}", b.at(7));
}
