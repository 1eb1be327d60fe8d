//! Q4_K: super-blocks of 256 four-bit values in eight sub-blocks of 32,
//! each with a 6-bit scale `sc` and minimum `m` relative to the block's
//! half-precision `d` and `dmin`; weight `d · sc · q - dmin · m`. Bytes:
//! `d`, `dmin`, 12 bytes of packed scales and minima, then 128 bytes whose
//! low nibbles hold sub-block `2j` and high nibbles sub-block `2j + 1` for
//! each run of 32 bytes `j`.

use super::{BlockFormat, QK, Sub, half_at, k_scale_min};

pub struct Q4K;

impl BlockFormat for Q4K {
    const ELEMENTS: usize = 256;
    const BYTES: usize = 144;
    const SIGNED: bool = false;

    fn unpack(b: &[u8], out: &mut [Sub]) {
        let (d, dmin) = (half_at(b, 0), half_at(b, 2));
        let scales = &b[4..16];
        for (j, qs) in b[16..144].chunks_exact(QK).enumerate() {
            for half in 0..2 {
                let s = 2 * j + half;
                let (sc, m) = k_scale_min(s, scales);
                let sub = &mut out[s];
                sub.scale = [d * sc as f32; 2];
                sub.min = -dmin * m as f32;
                for (q, &byte) in sub.q.iter_mut().zip(qs) {
                    *q = (byte >> (4 * half)) & 0x0f;
                }
            }
        }
    }
}
