fn main() {
    if true { 1 } else { 2 }
    let x = 0;
}
