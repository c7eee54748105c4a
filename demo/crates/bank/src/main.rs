//! A day at a small bank: five customers send each other money at random (from a
//! fixed seed, so every run prints the same), overdrafts are refused, and at closing
//! time the books must balance and the journal gets its CRC-32.

mod customers;

use checksum::Crc32;
use ledger::{Bank, Cents};

/// A linear congruential generator (the constants of C's classic rand()).
struct Random {
    state: u64,
}

impl Random {
    fn next(&mut self, bound: u64) -> u64 {
        self.state = (self.state * 1103515245 + 12345) % 2147483648;
        (self.state >> 16) % bound
    }
}

const TRANSFERS: u32 = 60;
const SHOWN: u32 = 8;

fn main() {
    let crc = Crc32::new();
    println!("crc32 self-test: {:08x} (expected cbf43926)", checksum::self_test(&crc));

    let mut bank = Bank::new();
    customers::open_accounts(&mut bank);
    let opening = bank.total();
    print!("opened {} accounts holding", bank.count());
    report::money(opening, 11);
    println!();

    let mut rng = Random { state: 2024 };
    let mut moved = Cents(0);
    for n in 1..=TRANSFERS {
        let from = rng.next(bank.count() as u64) as usize;
        let to = rng.next(bank.count() as u64) as usize;
        let amount = Cents::from_dollars(rng.next(400) as i64, rng.next(100) as i64);
        let ok = bank.transfer(from, to, amount);
        if ok {
            moved = moved.plus(amount);
        }
        if n <= SHOWN {
            print!("#{:<2} {:>6} -> {:<6}", n, bank.account(from).owner, bank.account(to).owner);
            report::money(amount, 10);
            println!("  {}", if ok { "ok" } else { "refused" });
        }
    }
    println!("... {} transfers, {} refused", TRANSFERS, bank.rejected);
    print!("money moved:");
    report::money(moved, 12);
    println!();
    println!();

    report::statement(&bank);
    assert_eq!(bank.total(), opening, "money was created or lost");

    let journal = &bank.journal;
    let sum = crc.update(0, journal.bytes(), journal.len());
    println!();
    println!("journal: {} entries, {} bytes, crc32 {:08x}", journal.entries, journal.len(), sum);
    println!("richest: {}", customers::richest(&bank));
}
