struct Stack {
    items: [i32; 4],
    len: usize,
}

impl Stack {
    fn push(&mut self, v: i32) {
        if self.len == self.items.len() {
            panic!("stack overflow pushing {}", v);
        }
        self.items[self.len] = v;
        self.len += 1;
    }

    fn pop(&mut self) -> i32 {
        self.len -= 1;
        self.items[self.len]
    }
}

fn main() {
    let mut s = Stack { items: [0; 4], len: 0 };
    for i in 1..4 {
        s.push(i * 10);
    }
    println!("{} {}", s.pop(), s.pop());
    for i in 0..5 {
        s.push(i);
        println!("pushed {}", i);
    }
}
