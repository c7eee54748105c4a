#[derive(Debug)]
struct Account {
    id: u32,
    balance: i64,
}

impl Account {
    fn deposit(&mut self, amount: i64) {
        self.balance += amount;
    }
    fn show(&self) -> i64 {
        self.balance
    }
}

fn apply(acc: &mut Account, amounts: &[i64]) {
    for i in 0..amounts.len() {
        acc.deposit(amounts[i]);
    }
}

fn report(acc: &&Account) {
    println!("{} has {}", acc.id, acc.show());
}

fn main() {
    let mut a = Account { id: 7, balance: 0 };
    apply(&mut a, &[10, 20, -5]);
    let r = &a;
    println!("{} {}", r.id, r.balance);
    report(&r);
    let m = &mut a;
    m.deposit(100);
    m.balance -= 1;
    println!("{:?}", a);
    let rr = &&&a;
    println!("{} {}", rr.balance, rr.show());
}
