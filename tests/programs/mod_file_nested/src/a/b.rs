pub fn name() -> &'static str {
    "a::b"
}

pub fn full() -> usize {
    super::name().len() + name().len()
}
