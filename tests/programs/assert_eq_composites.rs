#[derive(Debug, PartialEq)]
struct Point {
    x: i32,
    y: i32,
}

fn main() {
    assert_eq!(Point { x: 1, y: 2 }, Point { x: 1, y: 2 });
    assert_eq!('a', 'a');
    assert_eq!(true, !false);
    println!("equal values passed");
    let p = Point { x: 3, y: 4 };
    let q = Point { x: 3, y: -4 };
    assert_eq!(p, q, "points should match");
}
