//! Q4_0: 32 four-bit values `q` and a half-precision scale `d`; weight
//! `d · (q - 8)`. Low nibbles hold columns 0..16, high nibbles 16..32.

use super::{BlockFormat, QK, Sub, half_at};

pub struct Q4_0;

impl BlockFormat for Q4_0 {
    const ELEMENTS: usize = QK;
    const BYTES: usize = 18;
    const SIGNED: bool = false;

    fn unpack(b: &[u8], out: &mut [Sub]) {
        let d = half_at(b, 0);
        out[0] = nibbles(&b[2..18], d, -8.0 * d);
    }
}

/// 32 four-bit values (low nibbles first) with one scale and offset.
pub(super) fn nibbles(qs: &[u8], d: f32, min: f32) -> Sub {
    let mut sub = Sub {
        q: [0; QK],
        scale: [d; 2],
        min,
    };
    for (i, q) in qs.iter().enumerate() {
        sub.q[i] = q & 0x0f;
        sub.q[i + 16] = q >> 4;
    }
    sub
}
