// Character literals and their escapes.
fn main() {
    let chars = ['a', 'Z', '0', ' ', '\n', '\t', '\\', '\'', '"', '\0', '\x41', '\x7e', '\u{e9}', '\u{20AC}', '\u{1F600}', 'ß', '日'];
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        println!("{:2}: {:?} as u32 = {}", i, c, c as u32);
        i += 1;
    }
    println!("{}{}{}", 'x', '\u{301}', 'y');
}
