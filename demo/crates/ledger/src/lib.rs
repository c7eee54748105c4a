//! Accounts and the transfers between them. Every transfer that goes through is
//! written to the journal; money is never created or lost.

pub mod account;
pub mod journal;

pub use account::money::Cents;
pub use account::Account;
use journal::Journal;

pub const MAX_ACCOUNTS: usize = 6;

pub struct Bank {
    accounts: [Account; MAX_ACCOUNTS],
    count: usize,
    pub journal: Journal,
    pub rejected: u32,
}

impl Bank {
    pub fn new() -> Bank {
        Bank {
            accounts: [Account::closed(); MAX_ACCOUNTS],
            count: 0,
            journal: Journal::new(),
            rejected: 0,
        }
    }

    /// Opens an account with a first deposit; returns its number.
    pub fn open(&mut self, owner: &'static str, deposit: Cents) -> usize {
        assert!(self.count < MAX_ACCOUNTS, "the bank is full");
        let id = self.count;
        self.accounts[id] = Account::open(id as u32, owner, deposit);
        self.count += 1;
        id
    }

    /// Moves money if `from` can cover it; returns whether it did.
    pub fn transfer(&mut self, from: usize, to: usize, amount: Cents) -> bool {
        if from == to || !self.accounts[from].withdraw(amount) {
            self.rejected += 1;
            return false;
        }
        self.accounts[to].deposit(amount);
        self.journal.record(from as u8, to as u8, amount);
        true
    }

    pub fn account(&self, id: usize) -> &Account {
        &self.accounts[id]
    }

    pub fn count(&self) -> usize {
        self.count
    }

    pub fn total(&self) -> Cents {
        let mut sum = 0i64;
        for i in 0..self.count {
            sum += self.accounts[i].balance.0;
        }
        Cents(sum)
    }
}
