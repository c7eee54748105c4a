fn mean(values: &[i32]) -> i64 {
    let mut sum: i64 = 0;
    for i in 0..values.len() {
        sum += values[i] as i64;
    }
    sum / values.len() as i64
}

fn main() {
    let v = [2147483647, 2147483647, 1];
    println!("{}", mean(&v));
    let idx: i32 = 2;
    println!("{}", v[idx as usize]);
    let x = 65 as u8 as u32 as u64;
    println!("{}", x);
    let neg = -5i32;
    println!("{}", neg as u32 as u64);
    println!("{}", (neg as i64 * 1000000000000) as u64);
    let bits = 0xabcdu16;
    println!("{} {}", (bits >> 8) as u8, bits as u8);
    let wide = (bits as u32) << 16 | bits as u32;
    println!("{:#x}", wide);
}
