fn c_to_f_tenths(c: i32) -> i32 {
    c * 18 + 320
}

fn main() {
    println!("{:>8} | {:>8}", "Celsius", "Fahr.");
    println!("{:-^19}", "+");
    for c in (-40..=100).rev() {
        if c % 20 != 0 {
            continue;
        }
        let f = c_to_f_tenths(c);
        let sign = if f < 0 { "-" } else { "" };
        let af = if f < 0 { -f } else { f };
        println!("{:>8} | {:>5}{}.{}", c, sign, af / 10, af % 10);
    }
}
