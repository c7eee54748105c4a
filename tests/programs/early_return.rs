fn find(haystack: &[i32], needle: i32) -> i32 {
    for i in 0..haystack.len() {
        if haystack[i] == needle {
            return i as i32;
        }
    }
    -1
}

fn check(n: u32) -> &'static str {
    if n == 0 {
        return "zero";
    }
    if n > 100 {
        return "large";
    }
    "ordinary"
}

fn side_effects() {
    println!("before");
    if true {
        return;
    }
    println!("after");
}

fn main() {
    let data = [4, 8, 15, 16, 23, 42];
    println!("{} {}", find(&data, 15), find(&data, 99));
    println!("{} {} {}", check(0), check(500), check(7));
    side_effects();
}
