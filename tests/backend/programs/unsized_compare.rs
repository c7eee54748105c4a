fn main() {
    let a = "abc";
    let b = "abd";
    let s: &[i32] = &[1, 2, 3];
    let t: &[i32] = &[1, 2, 3];
    println!("{} {} {} {}", *a == *b, *a < *b, *s == *t, *s >= *t);
    println!("{:?}", &*s);
    assert_eq!(*s, *t);
    assert_ne!(*a, *b);
    assert_eq!(*a, *b, "strs");
}
