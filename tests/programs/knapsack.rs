const CAP: usize = 15;

#[derive(Clone, Copy, Debug)]
struct Item {
    weight: usize,
    value: u32,
}

fn main() {
    let items = [
        Item { weight: 12, value: 4 },
        Item { weight: 2, value: 2 },
        Item { weight: 1, value: 1 },
        Item { weight: 1, value: 2 },
        Item { weight: 4, value: 10 },
    ];
    let mut best = [[0u32; CAP + 1]; 6];
    for i in 1..=items.len() {
        let it = items[i - 1];
        for w in 0..=CAP {
            best[i][w] = best[i - 1][w];
            if it.weight <= w {
                let with = best[i - 1][w - it.weight] + it.value;
                if with > best[i][w] {
                    best[i][w] = with;
                }
            }
        }
    }
    println!("best value: {}", best[items.len()][CAP]);
    let mut w = CAP;
    for i in (1..=items.len()).rev() {
        if best[i][w] != best[i - 1][w] {
            println!("take {:?}", items[i - 1]);
            w -= items[i - 1].weight;
        }
    }
    println!("capacity left: {}", w);
}
