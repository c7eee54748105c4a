fn main() {
    let balance: i64 = 50;
    let withdrawal: i64 = 80;
    assert!(balance >= 0, "balance must never be negative");
    println!("balance ok");
    assert!(withdrawal <= balance, "cannot withdraw {} from {} (short by {})", withdrawal, balance, withdrawal - balance);
}
