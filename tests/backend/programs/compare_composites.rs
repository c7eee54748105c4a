#[derive(Debug, Clone, Copy, PartialEq)]
struct P {
    x: i32,
    y: u8,
}

#[derive(Debug, PartialEq)]
struct Line {
    a: P,
    b: P,
    tag: &'static str,
}

fn main() {
    let t1 = (1, "abc", 'x');
    let t2 = (1, "abd", 'x');
    println!("{} {} {} {}", t1 < t2, t1 == t2, t1 != t2, t1 >= t2);
    let s1 = "hello";
    let s2 = "help";
    println!("{} {} {} {}", s1 < s2, s1 > s2, s1 == "hello", "" < s1);
    println!("{} {}", "ab" < "abc", "abc" <= "ab");
    let a1 = [1, 2, 3];
    let a2 = [1, 2, 4];
    println!("{} {} {}", a1 < a2, a1 == [1, 2, 3], a2 > a1);
    let p = P { x: 3, y: 4 };
    let q = P { x: 3, y: 5 };
    println!("{} {} {}", p == q, p != q, p == P { x: 3, y: 4 });
    let l1 = Line { a: p, b: q, tag: "one" };
    let l2 = Line { a: p, b: q, tag: "one" };
    let l3 = Line { a: p, b: p, tag: "one" };
    println!("{} {} {}", l1 == l2, l1 == l3, l1 != l3);
    let ps = [p, q, p];
    let qs = [p, q, q];
    println!("{} {}", ps == qs, ps == [p, q, p]);
    let r1 = &p;
    let r2 = &q;
    println!("{} {}", r1 == r2, *r1 == p);
    let x = 5;
    let y = 7;
    let rx = &x;
    let ry = &y;
    println!("{} {} {}", rx < ry, rx == ry, &rx > &ry);
    let sl1: &[i32] = &a1;
    let sl2: &[i32] = &[1, 2];
    println!("{} {}", sl1 == sl2, sl1 > sl2);
    let big1 = (1u128 << 100, -3i64);
    let big2 = (1u128 << 100, -2i64);
    println!("{} {}", big1 < big2, big1 == big1);
    println!("{:?}", l1);
    assert_eq!(l1, l2);
    assert_ne!(p, q);
    assert_eq!((1, "a"), (1, "a"));
    assert_eq!([p; 2], [p, p]);
    println!("done");
}
