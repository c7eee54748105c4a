// A formatted report: fixed-width columns, alignment, fills and totals.
#[derive(Clone, Copy)]
struct Row {
    item: &'static str,
    qty: u32,
    cents: u64,
}

fn money(cents: u64) -> (u64, u64) {
    (cents / 100, cents % 100)
}

fn main() {
    let rows = [
        Row { item: "Widget", qty: 3, cents: 1999 },
        Row { item: "Gadget", qty: 12, cents: 250 },
        Row { item: "Thingamajig", qty: 1, cents: 100000 },
        Row { item: "Nut", qty: 1000, cents: 3 },
    ];
    println!("{:=^40}", " INVOICE ");
    println!("{:<14}{:>6}{:>10}{:>10}", "item", "qty", "price", "total");
    println!("{:-<40}", "");
    let mut grand = 0;
    for i in 0..rows.len() {
        let r = rows[i];
        let total = r.cents * r.qty as u64;
        grand += total;
        let (pd, pc) = money(r.cents);
        let (td, tc) = money(total);
        println!("{:<14}{:>6}{:>7}.{:02}{:>7}.{:02}", r.item, r.qty, pd, pc, td, tc);
    }
    println!("{:-<40}", "");
    let (gd, gc) = money(grand);
    println!("{:<30}{:>7}.{:02}", "TOTAL", gd, gc);
    println!("{:=<40}", "");
}
