use std::process::exit;

fn validate(v: i32) -> i32 {
    if v < 0 {
        eprintln!("error: negative value {}", v);
        exit(2);
    }
    v * 2
}

fn main() {
    let inputs = [4, 9, -1, 7];
    let mut total = 0;
    for i in 0..inputs.len() {
        total += validate(inputs[i]);
        println!("total = {}", total);
    }
}
