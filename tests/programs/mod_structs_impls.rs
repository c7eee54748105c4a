mod bank {
    #[derive(Debug)]
    pub struct Account {
        pub owner: &'static str,
        balance: i64,
    }

    impl Account {
        pub fn open(owner: &'static str) -> Account {
            Account { owner, balance: 0 }
        }

        pub fn deposit(&mut self, amount: i64) {
            assert!(amount > 0, "deposit must be positive, got {}", amount);
            self.balance += amount;
        }

        pub fn balance(&self) -> i64 {
            self.balance
        }
    }
}

use bank::Account;

fn main() {
    let mut acc = Account::open("Eve");
    acc.deposit(100);
    acc.deposit(25);
    println!("{} has {}", acc.owner, acc.balance());
    println!("{:?}", acc);
    acc.deposit(-5);
}
