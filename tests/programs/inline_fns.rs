#[inline]
fn square(x: u64) -> u64 {
    x * x
}

#[inline]
fn clamp(v: i32, lo: i32, hi: i32) -> i32 {
    if v < lo { lo } else if v > hi { hi } else { v }
}

#[inline]
fn checked_index(v: &[u8], i: usize) -> u8 {
    v[i]
}

fn main() {
    println!("{}", square(4294967295));
    println!("{} {} {}", clamp(-5, 0, 10), clamp(5, 0, 10), clamp(50, 0, 10));
    let data = [1u8, 2, 3];
    println!("{}", checked_index(&data, 2));
    println!("{}", checked_index(&data, 3));
}
