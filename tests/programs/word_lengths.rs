fn bar(n: usize) {
    for _i in 0..n {
        print!("#");
    }
}

fn main() {
    let words = ["the", "quick", "brown", "fox", "jumps", "over", "the", "lazy", "dog", "extraordinarily"];
    let mut hist = [0usize; 16];
    let mut total = 0;
    for i in 0..words.len() {
        hist[words[i].len()] += 1;
        total += words[i].len();
    }
    for len in 1..hist.len() {
        if hist[len] > 0 {
            print!("{:>2} | ", len);
            bar(hist[len]);
            println!(" {}", hist[len]);
        }
    }
    println!("average length x100: {}", total * 100 / words.len());
}
