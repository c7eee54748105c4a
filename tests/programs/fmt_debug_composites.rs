#[derive(Debug)]
struct Inner {
    flag: bool,
    code: char,
}

#[derive(Debug)]
struct Outer {
    id: u64,
    label: &'static str,
    inner: Inner,
    list: [i8; 3],
    pair: (u8, &'static str),
    unit: (),
}

#[derive(Debug)]
struct Wrap(Inner, i32);

fn main() {
    let o = Outer {
        id: 18446744073709551615,
        label: "out\"er",
        inner: Inner { flag: true, code: '\n' },
        list: [-1, 0, 1],
        pair: (7, "seven"),
        unit: (),
    };
    println!("{:?}", o);
    println!("{:?}", Wrap(Inner { flag: false, code: 'z' }, -9));
    println!("{:?}", ((1,), (1, 2), ()));
    println!("{:?}", [(); 3]);
    println!("{:?}", [[(1, 'a')]]);
    let s: &[Inner] = &[Inner { flag: true, code: 'a' }];
    println!("{:?}", s);
}
