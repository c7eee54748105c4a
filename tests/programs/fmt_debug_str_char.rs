fn main() {
    println!("{:?}", "plain");
    println!("{:?}", "with \"quotes\" and 'apostrophes'");
    println!("{:?}", "tab\t newline\n carriage\r backslash\\ nul\0");
    println!("{:?}", "bell\x07 escape\x1b del\x7f");
    println!("{:?}", "unicode: é ñ 日本 🦀");
    println!("{:?}", "combining: e\u{301} zero width:\u{200b} bom:\u{feff}");
    println!("{:?}", "private use \u{e000} and \u{10ffff}");
    println!("{:?} {:?} {:?} {:?}", 'a', '\'', '"', '\\');
    println!("{:?} {:?} {:?}", '\n', '\0', '\u{7f}');
    println!("{:?} {:?} {:?}", 'é', '\u{301}', '\u{a0}');
    println!("[{:>8?}] [{:8?}]", "pad", 'p');
}
