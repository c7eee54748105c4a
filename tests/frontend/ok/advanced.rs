// Shadowing, references, slices of arrays, re-exports, never-typed branches and
// associated constants of primitive types.
#![allow(dead_code, unused_variables)]

mod shapes {
    pub mod detail {
        #[derive(Debug, Clone, Copy, PartialEq)]
        pub struct Cell(pub u8, pub u8);

        pub const SIZE: usize = 4;
    }
    pub use self::detail::Cell;
    pub use detail::SIZE as GRID;

    pub struct Grid {
        pub cells: [[Cell; super::shapes::GRID]; 2],
        count: usize,
    }

    impl Grid {
        pub fn new() -> Self {
            Grid { cells: [[Cell(0, 0); GRID]; 2], count: 0 }
        }
        fn helper(&self) -> usize {
            self.count + self.cells.len()
        }
        pub fn add(&mut self, c: Cell) -> usize {
            self.cells[self.count % 2][self.count % GRID] = c;
            self.count += 1;
            self.helper()
        }
        pub fn count(&self) -> usize {
            self.count
        }
    }
}

use shapes::*;

fn first(values: &[i32]) -> &i32 {
    &values[0]
}

fn fill(values: &mut [i32], v: i32) {
    let mut i = 0;
    while i < values.len() {
        values[i] = v;
        i += 1;
    }
}

fn pick(flag: bool) -> i32 {
    let x: i32 = if flag { 5 } else { std::process::exit(3) };
    x
}

fn main() {
    let x = 5;
    let x = x * 2;
    let x = {
        let y = x + 1;
        y * 2
    };
    let mut arr = [1, 2, 3, 4];
    fill(&mut arr, 7);
    let f = *first(&arr);
    let s = &arr[1..3];
    let t = &arr[..];
    let mut g = Grid::new();
    g.add(Cell(1, 2));
    let n = g.add(Cell(3, 4));
    let pair = (1, 'a') == (1, 'a');
    let arrays = [1, 2] != [2, 1];
    let words = "abc" < "abd";
    let big = i32::MAX as i64 + 1;
    let small = u8::MIN;
    let bits = u64::BITS;
    let found = 'search: loop {
        for i in 0..10 {
            if i * i > 20 {
                break 'search i;
            }
        }
        break 0;
    };
    let r = &mut g;
    let c = r.count();
    println!("{} {} {} {} {} {}", x, f, s.len(), t.len(), n, c);
    println!("{} {} {} {} {} {} {}", pair, arrays, words, big, small, bits, found);
    println!("{:?} {}", g.cells[0][0], pick(true));
}
