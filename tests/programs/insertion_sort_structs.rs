#[derive(Debug, Clone, Copy)]
struct Item {
    name: &'static str,
    weight: u32,
}

fn sort_by_weight(items: &mut [Item; 5]) {
    for i in 1..items.len() {
        let key = items[i];
        let mut j = i;
        while j > 0 && items[j - 1].weight > key.weight {
            items[j] = items[j - 1];
            j -= 1;
        }
        items[j] = key;
    }
}

fn main() {
    let mut items = [
        Item { name: "lamp", weight: 12 },
        Item { name: "book", weight: 3 },
        Item { name: "chair", weight: 40 },
        Item { name: "pen", weight: 1 },
        Item { name: "mug", weight: 3 },
    ];
    sort_by_weight(&mut items);
    for i in 0..items.len() {
        println!("{:<6}{:>4}", items[i].name, items[i].weight);
    }
    println!("{:?}", items[0]);
}
