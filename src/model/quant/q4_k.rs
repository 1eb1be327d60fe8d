//! Q4_K: super-blocks of 256 four-bit values in eight sub-blocks of 32,
//! each with a 6-bit scale `sc` and minimum `m` relative to the block's
//! half-precision `d` and `dmin`; weight `d · sc · q - dmin · m`. Bytes:
//! `d`, `dmin`, 12 bytes of packed scales and minima, then 128 bytes whose
//! low nibbles hold sub-block `2j` and high nibbles sub-block `2j + 1` for
//! each run of 32 bytes `j`.

use super::{BlockFormat, Sub, unpack_k_sub_blocks};

pub struct Q4K;

impl BlockFormat for Q4K {
    const ELEMENTS: usize = 256;
    const BYTES: usize = 144;
    const SIGNED: bool = false;

    fn unpack(b: &[u8], out: &mut [Sub]) {
        unpack_k_sub_blocks(b, &b[16..144], out, |_, _| 0);
    }
}
