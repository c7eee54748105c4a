fn main() {
    let code = 42;
    panic!("first line\nsecond line with code {}\n\tindented third", code);
}
