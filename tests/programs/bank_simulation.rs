#[derive(Debug, Clone, Copy)]
struct Account {
    id: u32,
    balance: i64,
    overdraft: i64,
}

struct Bank {
    accounts: [Account; 3],
    log_count: u32,
}

impl Bank {
    fn find(&mut self, id: u32) -> &mut Account {
        for i in 0..self.accounts.len() {
            if self.accounts[i].id == id {
                return &mut self.accounts[i];
            }
        }
        panic!("no account {}", id)
    }

    fn transfer(&mut self, from: u32, to: u32, amount: i64) -> bool {
        let src = self.find(from);
        if src.balance - amount < -src.overdraft {
            println!("  denied: {} -> {} ({})", from, to, amount);
            return false;
        }
        src.balance -= amount;
        self.find(to).balance += amount;
        self.log_count += 1;
        println!("  ok: {} -> {} ({})", from, to, amount);
        true
    }

    fn report(&self) {
        for i in 0..self.accounts.len() {
            let a = &self.accounts[i];
            println!("  #{:<3} {:>8}", a.id, a.balance);
        }
    }
}

fn main() {
    let mut bank = Bank {
        accounts: [
            Account { id: 1, balance: 500, overdraft: 0 },
            Account { id: 2, balance: 50, overdraft: 100 },
            Account { id: 3, balance: 0, overdraft: 0 },
        ],
        log_count: 0,
    };
    let plan = [(1, 2, 200), (2, 3, 300), (2, 3, 349), (3, 1, 100), (1, 3, 1000), (2, 1, 1)];
    for i in 0..plan.len() {
        let (from, to, amount) = plan[i];
        bank.transfer(from, to, amount);
    }
    println!("{} transfers", bank.log_count);
    bank.report();
    println!("{:?}", bank.accounts[1]);
    bank.transfer(1, 9, 5);
}
