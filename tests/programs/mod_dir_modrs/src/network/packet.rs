#[derive(Debug)]
pub struct Packet {
    pub id: u16,
    pub payload: [u8; 4],
}

pub fn checksum(p: &Packet) -> u32 {
    let mut sum = 0u32;
    for i in 0..p.payload.len() {
        sum += p.payload[i] as u32;
    }
    sum % 256
}
