fn main() {
    let mut row = [0u64; 21];
    row[0] = 1;
    for n in 0..21 {
        if n < 8 || n == 20 {
            let mut line_len = 0;
            for k in 0..=n {
                line_len += 1;
                print!("{}{}", if k == 0 { "" } else { " " }, row[k]);
            }
            println!("   ({} numbers)", line_len);
        }
        for k in (1..=n + 1).rev() {
            if k < 21 {
                row[k] += row[k - 1];
            }
        }
    }
}
