fn classify(n: i32) -> &'static str {
    if n < 0 {
        "negative"
    } else if n == 0 {
        "zero"
    } else if n % 2 == 0 {
        "positive even"
    } else {
        "positive odd"
    }
}

fn main() {
    let nums = [-5, 0, 4, 7];
    for i in 0..nums.len() {
        println!("{} is {}", nums[i], classify(nums[i]));
    }
    let x = 10;
    let y = if x > 5 { x * 2 } else { x / 2 };
    println!("{}", y);
    if x == 10 {
        println!("ten");
    }
    let z = if x < 0 { -1 } else if x > 0 { 1 } else { 0 };
    println!("{}", z);
    let w = 1 + if z > 0 { 100 } else { 200 };
    println!("{}", w);
}
