fn sum(s: &[i32]) -> i32 {
    let mut t = 0;
    for i in 0..s.len() {
        t += s[i];
    }
    t
}

fn largest(s: &[i32]) -> i32 {
    let mut m = s[0];
    for i in 1..s.len() {
        if s[i] > m {
            m = s[i];
        }
    }
    m
}

fn fill(s: &mut [i32], v: i32) {
    for i in 0..s.len() {
        s[i] = v;
    }
}

fn main() {
    let a = [3, 1, 4, 1, 5, 9, 2, 6];
    let s: &[i32] = &a;
    println!("{} {} {}", s.len(), sum(s), largest(s));
    println!("{:?}", s);
    let b = [7];
    println!("{} {}", sum(&b), largest(&b));
    let mut c = [0; 3];
    fill(&mut c, 8);
    println!("{:?}", c);
    let empty: &[i32] = &[];
    println!("{} {:?}", sum(empty), empty);
    let names: &[&str] = &["x", "yy"];
    println!("{:?} {}", names, names[1].len());
}
