fn main() {
    for i in 0..5 {
        println!("out {}", i);
        if i % 2 == 0 {
            eprintln!("err {}", i);
        }
    }
    print!("partial ");
    eprintln!("err last");
    println!("done");
}
