fn main() {
    let min: i128 = -170141183460469231731687303715884105727 - 1;
    let max: i128 = 170141183460469231731687303715884105727;
    let umax: u128 = 340282366920938463463374607431768211455;
    println!("{} {}", min, max);
    println!("{}", umax);
    println!("{:x}", min);
    println!("{:#X}", max);
    println!("{:o}", umax);
    println!("{:>50}", min);
    println!("{:<45}|", umax);
    println!("{:+}", max);
    println!("{:?} {:?}", min, umax);
    let mut p: u128 = 1;
    for i in 0..38 {
        if i % 8 == 0 {
            println!("10^{:<2} = {:>41}", i, p);
        }
        p *= 10;
    }
    let chunk: u128 = 10000000000000000000;
    println!("{} {} {}", chunk - 1, chunk, chunk * chunk);
    println!("{}", chunk * chunk * 3 + 7);
}
