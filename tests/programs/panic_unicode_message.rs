fn main() {
    let name = "Zoë";
    println!("{}", name);
    panic!("ошибка: {} 💥 {:?}", name, "tab\t");
}
