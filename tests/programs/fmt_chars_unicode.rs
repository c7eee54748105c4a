fn main() {
    let cs = ['a', 'é', '日', '🦀', '\u{301}'];
    for i in 0..cs.len() {
        println!("[{}] [{:3}] [{:>3}] [{:^5}] [{:?}]", cs[i], cs[i], cs[i], cs[i], cs[i]);
    }
    let words = ["naïve", "日本語", "🦀🦀🦀", "e\u{301}"];
    for i in 0..words.len() {
        println!("[{:8}] [{:>8}] [{:^8}] len={}", words[i], words[i], words[i], words[i].len());
    }
}
