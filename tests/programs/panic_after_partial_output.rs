fn main() {
    println!("complete line 1");
    print!("partial line... ");
    print!("more partial ");
    let v = [1, 2, 3];
    let mut i = 0;
    loop {
        print!("{} ", v[i]);
        i += 1;
    }
}
