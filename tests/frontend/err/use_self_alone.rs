use self;
fn main() {}
