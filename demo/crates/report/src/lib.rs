//! Printing money and statements.

use ledger::{Bank, Cents};

/// Writes an amount as `$1,234.05` right-aligned in `width` columns.
pub fn money(amount: Cents, width: usize) {
    let negative = amount.0 < 0;
    let abs = if negative { Cents(-amount.0) } else { amount };
    let dollars = abs.dollars();
    // Characters before the padding: sign, '$', digits with commas, ".cc".
    let mut digits = 1;
    let mut rest = dollars / 10;
    while rest > 0 {
        digits += 1;
        rest /= 10;
    }
    let shown = digits + (digits - 1) / 3 + 4 + if negative { 1 } else { 0 };
    let mut pad = shown;
    while pad < width {
        print!(" ");
        pad += 1;
    }
    if negative {
        print!("-");
    }
    print!("$");
    print_grouped(dollars);
    print!(".{:02}", abs.cents());
}

fn print_grouped(n: i64) {
    if n < 1000 {
        print!("{}", n);
        return;
    }
    print_grouped(n / 1000);
    print!(",{:03}", n % 1000);
}

pub fn statement(bank: &Bank) {
    println!("{:>3}  {:<8} {:>12} {:>9}", "#", "owner", "balance", "transfers");
    for id in 0..bank.count() {
        let a = bank.account(id);
        print!("{:>3}  {:<8} ", a.id, a.owner);
        money(a.balance, 12);
        println!(" {:>9}", a.transfers);
    }
    print!("{:>3}  {:<8} ", "", "total");
    money(bank.total(), 12);
    println!();
}
