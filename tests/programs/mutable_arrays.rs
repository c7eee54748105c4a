fn rotate_left(a: &mut [i32; 6]) {
    let first = a[0];
    for i in 0..a.len() - 1 {
        a[i] = a[i + 1];
    }
    a[5] = first;
}

fn reverse(a: &mut [i32]) {
    let n = a.len();
    for i in 0..n / 2 {
        let t = a[i];
        a[i] = a[n - 1 - i];
        a[n - 1 - i] = t;
    }
}

fn main() {
    let mut a = [1, 2, 3, 4, 5, 6];
    rotate_left(&mut a);
    println!("{:?}", a);
    reverse(&mut a);
    println!("{:?}", a);
    let r = &mut a;
    r[0] *= 100;
    println!("{:?}", a);
    let mut counts = [0u32; 10];
    let digits = [3, 1, 4, 1, 5, 9, 2, 6, 5, 3, 5];
    for i in 0..digits.len() {
        counts[digits[i]] += 1;
    }
    println!("{:?}", counts);
}
