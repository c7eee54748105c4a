fn main() {
    let data = [3, 8, 12, 5];
    for i in 0..data.len() {
        if data[i] > 10 {
            println!("found {} at {}, stopping", data[i], i);
            std::process::exit(0);
        }
        println!("checked {}", data[i]);
    }
    println!("never printed");
}
