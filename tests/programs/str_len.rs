fn describe(s: &str) {
    println!("{:?} has {} bytes", s, s.len());
}

fn main() {
    describe("");
    describe("a");
    describe("hello world");
    describe("héllo");
    describe("日本");
    describe("🦀🦀");
    describe("tab\tnew\nline");
    let words = ["one", "three", "seventeen"];
    let mut longest = words[0];
    for i in 1..words.len() {
        if words[i].len() > longest.len() {
            longest = words[i];
        }
    }
    println!("longest: {}", longest);
}
