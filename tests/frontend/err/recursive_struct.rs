struct List { next: List }
fn main() {}
