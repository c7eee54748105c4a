fn add(a: u32, b: u32) -> u32 {
    a + b
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn adds() {
        assert_eq!(add(1, 2), 3);
    }
}

#[cfg(test)]
fn test_only_helper() -> u32 {
    panic!("never compiled into the binary")
}

#[cfg(test)]
const TEST_ONLY: u32 = 5;

fn main() {
    println!("{}", add(40, 2));
}
