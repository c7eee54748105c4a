fn first_square_above(limit: u32) -> u32 {
    let mut i = 0;
    loop {
        if i * i > limit {
            break i * i;
        }
        i += 1;
    }
}

fn main() {
    println!("{}", first_square_above(50));
    println!("{}", first_square_above(1000));
    let mut count = 0;
    let result = loop {
        count += 1;
        if count == 7 {
            break count * 3;
        }
    };
    println!("{}", result);
    let pair = loop {
        break (1, 'x');
    };
    println!("{:?}", pair);
    let mut n = 0;
    loop {
        n += 1;
        if n > 3 {
            break;
        }
        println!("n = {}", n);
    }
}
