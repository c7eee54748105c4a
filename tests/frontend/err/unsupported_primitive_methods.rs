fn main() {
    let a = -5i32.abs();
    let b = 3u8.wrapping_add(250);
    let c = 2u64.pow(10);
    let d = 'x'.is_alphabetic();
    let e = true.then_some(1);
    let f = "text".chars();
    let g = [3, 1, 2].iter();
    let h = 7i64.max(9);
    let arr = [1u8; 4];
    let s = &arr[..];
    let i = s.contains(&1);
    let j = 5u32.to_string();
}
