#[derive(Debug, Clone, Copy)]
struct Product {
    sku: u32,
    name: &'static str,
    stock: u32,
    reorder_at: u32,
}

struct Inventory {
    items: [Product; 4],
}

impl Inventory {
    fn sell(&mut self, sku: u32, qty: u32) {
        for i in 0..self.items.len() {
            let p = &mut self.items[i];
            if p.sku == sku {
                p.stock -= qty;
                if p.stock <= p.reorder_at {
                    println!("reorder {} ({} left)", p.name, p.stock);
                }
                return;
            }
        }
        println!("unknown sku {}", sku);
    }

    fn print(&self) {
        println!("{:<6}|{:<12}|{:>6}", "sku", "name", "stock");
        for i in 0..self.items.len() {
            let p = self.items[i];
            println!("{:<6}|{:<12}|{:>6}", p.sku, p.name, p.stock);
        }
    }
}

fn main() {
    let mut inv = Inventory {
        items: [
            Product { sku: 100, name: "bolts", stock: 500, reorder_at: 100 },
            Product { sku: 101, name: "nuts", stock: 300, reorder_at: 100 },
            Product { sku: 200, name: "washers", stock: 50, reorder_at: 20 },
            Product { sku: 300, name: "brackets", stock: 10, reorder_at: 2 },
        ],
    };
    inv.sell(100, 250);
    inv.sell(101, 250);
    inv.sell(999, 1);
    inv.sell(200, 40);
    inv.print();
    inv.sell(300, 11);
}
