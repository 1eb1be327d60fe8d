//! Q4_1: 32 four-bit values `q`, a half-precision scale `d` and minimum
//! `m`; weight `d · q + m`.

use super::{BlockFormat, QK, Sub, half_at, q4_0::nibbles};

pub struct Q4_1;

impl BlockFormat for Q4_1 {
    const ELEMENTS: usize = QK;
    const BYTES: usize = 20;
    const SIGNED: bool = false;

    fn unpack(b: &[u8], out: &mut [Sub]) {
        out[0] = nibbles(&b[4..20], half_at(b, 0), half_at(b, 2));
    }
}
