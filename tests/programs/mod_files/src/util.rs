pub fn banner(title: &str) -> usize {
    println!("== {} ==", title);
    title.len() + 6
}

pub fn clamp_add(a: u8, b: u8) -> u8 {
    if a > 255 - b { 255 } else { a + b }
}
