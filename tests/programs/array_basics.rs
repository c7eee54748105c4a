fn main() {
    let a = [1, 2, 3, 4, 5];
    let b: [u8; 3] = [10, 20, 30];
    let c = [0i64; 4];
    let d = ['x'; 2];
    let e: [bool; 0] = [];
    println!("{:?} {:?} {:?} {:?} {:?}", a, b, c, d, e);
    println!("{} {} {} {}", a.len(), b.len(), c.len(), e.len());
    println!("{} {}", a[0], a[a.len() - 1]);
    let mut f = a;
    f[2] = 99;
    println!("{:?} {:?}", a, f);
    let strs = ["alpha", "beta"];
    println!("{:?} {}", strs, strs[1].len());
    let tuples = [(1, 'a'), (2, 'b')];
    println!("{:?} {}", tuples, tuples[1].1);
    let n = 3;
    let g = [n * 2; 3];
    println!("{:?}", g);
}
