fn countdown(mut n: u32) {
    loop {
        print!("{} ", n);
        n -= 1;
    }
}

fn main() {
    countdown(3);
}
