//! The bank's customers and their first deposits.

use ledger::{Bank, Cents};

const OWNERS: [&str; 5] = ["Ada", "Grace", "Alan", "Edsger", "Barbara"];
const DEPOSITS: [i64; 5] = [1_250_00, 980_50, 2_400_00, 75_25, 15_000_00];

pub fn open_accounts(bank: &mut Bank) {
    for i in 0..OWNERS.len() {
        bank.open(OWNERS[i], Cents(DEPOSITS[i]));
    }
}

pub fn richest(bank: &Bank) -> &'static str {
    let mut best = 0;
    for id in 1..bank.count() {
        if bank.account(id).balance.0 > bank.account(best).balance.0 {
            best = id;
        }
    }
    bank.account(best).owner
}
