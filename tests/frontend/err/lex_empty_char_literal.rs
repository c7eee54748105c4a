fn main() {
    let c = '';
}
