mod a { fn secret() {} }
use a::secret;
fn main() {}
