#[derive(Debug)]
struct Unit;

#[derive(Debug)]
struct Wrap(i32, &'static str);

#[derive(Debug)]
struct Deep {
    w: Wrap,
    list: [u8; 3],
    r: &'static str,
    t: (bool, char),
    u: Unit,
}

fn main() {
    let w = 8;
    let p = 3;
    println!("[{:>1$}]", 42, w);
    println!("[{:<w$}]", "ab");
    println!("[{:^w$.p$}]", "abcdef");
    println!("[{:.*}]", 2, "xyz");
    println!("[{:08.3}]", "abcdefg");
    let d = Deep { w: Wrap(-5, "q"), list: [1, 2, 3], r: "s\"t", t: (true, '\n'), u: Unit };
    println!("{:?}", d);
    println!("{:#?}", d);
    let arr = [(1, "a"), (2, "b")];
    println!("{:?}", arr);
    let sl: &[Wrap] = &[Wrap(1, "x"), Wrap(2, "y")];
    println!("{:?}", sl);
    let rr = &&&5u16;
    println!("{} {:?} {:5}|", rr, rr, rr);
    println!("{:?}", ());
    println!("{:?}", ((), (1,), Unit));
    println!("{0} {0:?} {1:x} {1:#X} {1:#o} {1:#b}", 'c', 255);
    println!("{:+} {:+} {:+05}", 5, -5, 7);
}
