fn main() {
    let a = 3;
    let b = 4;
    let arr = [1, 2, 3];
    assert!(a < b);
    assert!(arr.len()==3&&arr[0]==1);
    println!("passed");
    assert!(a * a + b * b == 26 || (arr[2] > 5 && !false));
}
