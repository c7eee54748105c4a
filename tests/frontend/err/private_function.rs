mod a { fn secret() {} }
fn main() {
    a::secret();
}
