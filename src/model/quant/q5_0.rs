//! Q5_0: 32 five-bit values `q` (low four bits as Q4_0's nibbles, the fifth
//! bits in a 32-bit mask) and a half-precision scale `d`; weight
//! `d · (q - 16)`.

use super::{BlockFormat, QK, Sub, half_at};

pub struct Q5_0;

impl BlockFormat for Q5_0 {
    const ELEMENTS: usize = QK;
    const BYTES: usize = 22;
    const SIGNED: bool = false;

    fn unpack(b: &[u8], out: &mut [Sub]) {
        let d = half_at(b, 0);
        out[0] = five_bits(&b[2..22], d, -16.0 * d);
    }
}

/// 32 five-bit values from a 4-byte mask of high bits and 16 bytes of
/// nibbles, with one scale and offset.
pub(super) fn five_bits(b: &[u8], d: f32, min: f32) -> Sub {
    let high = u32::from_le_bytes([b[0], b[1], b[2], b[3]]);
    let mut sub = Sub {
        q: [0; QK],
        scale: [d; 2],
        min,
    };
    for (i, q) in b[4..20].iter().enumerate() {
        sub.q[i] = (q & 0x0f) | (((high >> i) & 1) << 4) as u8;
        sub.q[i + 16] = (q >> 4) | (((high >> (i + 16)) & 1) << 4) as u8;
    }
    sub
}
