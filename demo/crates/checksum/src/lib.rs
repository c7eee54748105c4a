//! CRC-32 (IEEE 802.3), the checksum of zip files and Ethernet frames, computed
//! from a 256-entry table built once.

/// The reflected generator polynomial.
pub const POLY: u32 = 0xEDB8_8320;

pub struct Crc32 {
    table: [u32; 256],
}

impl Crc32 {
    pub fn new() -> Crc32 {
        let mut table = [0u32; 256];
        for i in 0..256 {
            let mut c = i as u32;
            for _ in 0..8 {
                if c & 1 == 1 {
                    c = POLY ^ (c >> 1);
                } else {
                    c >>= 1;
                }
            }
            table[i] = c;
        }
        Crc32 { table }
    }

    /// Continues `crc` over the first `len` bytes.
    pub fn update(&self, crc: u32, bytes: &[u8], len: usize) -> u32 {
        let mut c = !crc;
        let mut i = 0;
        while i < len {
            let index = ((c ^ bytes[i] as u32) & 0xFF) as usize;
            c = self.table[index] ^ (c >> 8);
            i += 1;
        }
        !c
    }

    pub fn entry(&self, i: usize) -> u32 {
        self.table[i]
    }
}

/// The standard check value: the CRC-32 of the ASCII digits "123456789".
pub fn self_test(crc: &Crc32) -> u32 {
    let mut digits = [0u8; 9];
    for i in 0..9 {
        digits[i] = (49 + i) as u8; // '1' is 49
    }
    crc.update(0, &digits, digits.len())
}
