fn outer(x: i32) -> i32 {
    fn helper(y: i32) -> i32 {
        y * y
    }
    const OFFSET: i32 = 3;
    helper(x) + OFFSET
}

fn main() {
    fn local_greeting() -> &'static str {
        "hi from a nested fn"
    }
    println!("{}", outer(4));
    println!("{}", local_greeting());
    let v = {
        fn inner() -> u8 {
            255
        }
        inner()
    };
    println!("{}", v);
}
