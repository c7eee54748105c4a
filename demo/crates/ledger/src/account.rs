//! One customer's account.

pub mod money;

use money::Cents;

#[derive(Debug, Clone, Copy)]
pub struct Account {
    pub id: u32,
    pub owner: &'static str,
    pub balance: Cents,
    pub transfers: u32,
}

impl Account {
    pub fn closed() -> Account {
        Account { id: 0, owner: "", balance: Cents(0), transfers: 0 }
    }

    pub fn open(id: u32, owner: &'static str, deposit: Cents) -> Account {
        Account { id, owner, balance: deposit, transfers: 0 }
    }

    pub fn deposit(&mut self, amount: Cents) {
        self.balance = self.balance.plus(amount);
        self.transfers += 1;
    }

    /// Takes the amount out unless that would overdraw the account.
    pub fn withdraw(&mut self, amount: Cents) -> bool {
        if self.balance.0 < amount.0 {
            return false;
        }
        self.balance = self.balance.minus(amount);
        self.transfers += 1;
        true
    }
}
