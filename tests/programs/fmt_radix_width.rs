fn main() {
    let vals = [0u32, 1, 15, 16, 255, 4096, 65535];
    for i in 0..vals.len() {
        let v = vals[i];
        println!("{:>6} | {:#06x} | {:08b} | {:>#8o} | {:<#7X}|", v, v, v, v, v);
    }
    println!("{:#010b}", 5u8);
    println!("{:#04x}", 255u8);
    println!("{:#06x}", -1i8);
    println!("{:^#12x}", 48879);
    println!("{:*>#12b}", 5);
    println!("{:+#010x}", 255);
}
