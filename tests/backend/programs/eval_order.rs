fn tag(name: &str, v: i32) -> i32 {
    println!("eval {}", name);
    v
}

#[derive(Debug)]
struct S {
    a: i32,
    b: i32,
    c: i32,
}

fn three(x: i32, y: i32, z: i32) -> i32 {
    x * 100 + y * 10 + z
}

fn main() {
    let s = S { c: tag("c", 3), a: tag("a", 1), b: tag("b", 2) };
    println!("{:?}", s);
    println!("{}", three(tag("x", 1), tag("y", 2), tag("z", 3)));
    let arr = [tag("e0", 0), tag("e1", 1)];
    println!("{:?}", arr);
    let t = (tag("t0", 5), tag("t1", 6));
    println!("{:?}", t);
    println!("{}", tag("l", 4) - tag("r", 1));
    let mut v = [0; 3];
    v[tag("idx", 1) as usize] = tag("val", 9);
    println!("{:?}", v);
    v[tag("idx2", 2) as usize] += tag("val2", 4);
    println!("{:?}", v);
    if tag("c1", 0) > 0 && tag("c2", 1) > 0 {
        println!("no");
    }
    if tag("c3", 1) > 0 || tag("c4", 1) > 0 {
        println!("yes");
    }
    let mut x = 1;
    let y = x + {
        x += 10;
        x
    };
    println!("{} {}", x, y);
    let z = three(x, {
        x = 100;
        x
    }, x);
    println!("{}", z);
    println!("{} {}", tag("p1", 1), tag("p2", 2));
    assert_eq!(tag("left", 1), tag("right", 1), "msg {}", tag("never", 0));
    std::process::exit(tag("exit", 4));
}
