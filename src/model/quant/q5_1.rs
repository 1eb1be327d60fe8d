//! Q5_1: 32 five-bit values `q`, a half-precision scale `d` and minimum
//! `m`; weight `d · q + m`.

use super::{BlockFormat, QK, Sub, half_at, q5_0::five_bits};

pub struct Q5_1;

impl BlockFormat for Q5_1 {
    const ELEMENTS: usize = QK;
    const BYTES: usize = 24;
    const SIGNED: bool = false;

    fn unpack(b: &[u8], out: &mut [Sub]) {
        out[0] = five_bits(&b[4..24], half_at(b, 0), half_at(b, 2));
    }
}
