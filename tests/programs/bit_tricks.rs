fn count_ones(mut x: u64) -> u32 {
    let mut n = 0;
    while x != 0 {
        x &= x - 1;
        n += 1;
    }
    n
}

fn is_power_of_two(x: u32) -> bool {
    x != 0 && (x & (x - 1)) == 0
}

fn reverse_bits(mut x: u8) -> u8 {
    let mut r: u8 = 0;
    for _i in 0..8 {
        r = (r << 1) | (x & 1);
        x >>= 1;
    }
    r
}

fn highest_bit(x: u32) -> i32 {
    let mut i = 31;
    while i >= 0 {
        if x & (1 << i) != 0 {
            return i;
        }
        i -= 1;
    }
    -1
}

fn main() {
    let vals = [0u64, 1, 255, 1 << 40, 18446744073709551615];
    for i in 0..vals.len() {
        println!("{:>20} has {:2} ones", vals[i], count_ones(vals[i]));
    }
    for x in 0..10 {
        print!("{}:{} ", x, is_power_of_two(x));
    }
    println!();
    println!("{:08b} -> {:08b}", 0b0000_0110u8, reverse_bits(0b0000_0110));
    println!("{} {} {}", highest_bit(1), highest_bit(1 << 31), highest_bit(0));
    let x: i32 = -37;
    println!("{} {}", x >> 2, (x as u32) >> 2);
    let sign = (x >> 31) | ((-x) as u32 >> 31) as i32;
    println!("{}", sign);
}
