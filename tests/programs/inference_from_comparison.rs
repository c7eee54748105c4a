// k becomes a u8 because it is compared with a u8; k += 60 then overflows at 240 + 60.
fn main() {
    let limit: u8 = 250;
    let mut k = 0;
    while k < limit {
        k += 60;
        println!("k = {}", k);
    }
}
