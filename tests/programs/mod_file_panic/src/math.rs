// The overflow below is reported at src/math.rs.

pub fn double(v: u16) -> u16 {
    v * 2
}
