fn sort(a: &mut [i32]) -> u32 {
    let mut swaps = 0;
    let n = a.len();
    for i in 0..n {
        let mut swapped = false;
        for j in 0..n - 1 - i {
            if a[j] > a[j + 1] {
                let t = a[j];
                a[j] = a[j + 1];
                a[j + 1] = t;
                swaps += 1;
                swapped = true;
            }
        }
        if !swapped {
            break;
        }
    }
    swaps
}

fn main() {
    let mut v = [64, 34, 25, 12, 22, 11, 90, -5, 0, 34];
    println!("before: {:?}", v);
    let s = sort(&mut v);
    println!("after:  {:?} ({} swaps)", v, s);
    let mut sorted = [1, 2, 3];
    println!("{}", sort(&mut sorted));
    let mut one = [42];
    println!("{} {:?}", sort(&mut one), one);
}
