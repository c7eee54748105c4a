// String literals: escapes, unicode, continuation lines, lengths in bytes.
fn main() {
    let plain = "plain text";
    let escaped = "tab:\t| newline:\n| quote:\" | backslash:\\ | apostrophe:' | nul:\0|";
    let hex = "\x48\x69";
    let uni = "caf\u{e9} \u{1F980}";
    let cont = "one \
                two \
                three";
    let multi = "first
second";
    println!("{}", plain);
    println!("{}", escaped);
    println!("{:?}", escaped);
    println!("{} {}", hex, uni);
    println!("{}", cont);
    println!("{}", multi);
    println!("{} {} {} {}", plain.len(), hex.len(), uni.len(), "".len());
    println!("{:?}", "");
}
