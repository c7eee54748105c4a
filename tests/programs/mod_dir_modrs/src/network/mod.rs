pub mod packet;

pub fn describe(p: &packet::Packet) -> u32 {
    p.id as u32 * 1000 + packet::checksum(p)
}
