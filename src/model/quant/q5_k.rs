//! Q5_K: Q4_K with a fifth bit per value: bytes `d`, `dmin`, 12 bytes of
//! packed 6-bit scales and minima, 32 bytes whose bit `s` of byte `l` is the
//! high bit of value `l` of sub-block `s`, then the low nibbles as in Q4_K.

use super::{BlockFormat, Sub, unpack_k_sub_blocks};

pub struct Q5K;

impl BlockFormat for Q5K {
    const ELEMENTS: usize = 256;
    const BYTES: usize = 176;
    const SIGNED: bool = false;

    fn unpack(b: &[u8], out: &mut [Sub]) {
        let high = &b[16..48];
        unpack_k_sub_blocks(b, &b[48..176], out, |s, l| (high[l] >> s) & 1);
    }
}
