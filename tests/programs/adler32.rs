const MOD: u32 = 65521;

fn adler32(data: &[u8]) -> u32 {
    let mut a: u32 = 1;
    let mut b: u32 = 0;
    for i in 0..data.len() {
        a = (a + data[i] as u32) % MOD;
        b = (b + a) % MOD;
    }
    (b << 16) | a
}

fn main() {
    let wiki = [87u8, 105, 107, 105, 112, 101, 100, 105, 97];
    println!("{:#010x}", adler32(&wiki));
    let empty: [u8; 0] = [];
    println!("{:#010x}", adler32(&empty));
    let mut big = [0u8; 256];
    for i in 0..big.len() {
        big[i] = (i * 7 % 256) as u8;
    }
    println!("{:08X}", adler32(&big));
}
