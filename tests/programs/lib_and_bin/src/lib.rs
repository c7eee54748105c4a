// The package's lib crate; src/main.rs uses it by the package's name.
pub mod shapes;

pub use shapes::Circle;

pub fn greet(name: &str) -> usize {
    println!("hello from the lib, {}", name);
    name.len()
}

pub(crate) fn internal() -> u32 {
    7
}

pub fn uses_internal() -> u32 {
    internal() * 6
}

pub const VERSION: (u8, u8) = (1, 2);
