pub mod b;

pub fn name() -> &'static str {
    "a"
}
