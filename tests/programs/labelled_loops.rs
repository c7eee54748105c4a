fn main() {
    'outer: for i in 0..5 {
        for j in 0..5 {
            if j > i {
                continue 'outer;
            }
            if i == 4 {
                break 'outer;
            }
            print!("({},{}) ", i, j);
        }
    }
    println!();
    let mut found = (0, 0);
    'search: for a in 1..20 {
        for b in a..20 {
            if a * a + b * b == 13 * 13 {
                found = (a, b);
                break 'search;
            }
        }
    }
    println!("{:?}", found);
    let mut count = 0;
    let v = 'outer: loop {
        let mut i = 0;
        loop {
            i += 1;
            count += 1;
            if count > 10 {
                break 'outer count * 100;
            }
            if i == 3 {
                continue 'outer;
            }
        }
    };
    println!("{}", v);
    let mut w = 0;
    'a: while w < 10 {
        w += 1;
        'b: while true {
            if w % 2 == 0 {
                continue 'a;
            }
            break 'b;
        }
        print!("{} ", w);
    }
    println!();
}
