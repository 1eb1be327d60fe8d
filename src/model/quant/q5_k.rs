//! Q5_K: Q4_K with a fifth bit per value: bytes `d`, `dmin`, 12 bytes of
//! packed 6-bit scales and minima, 32 bytes whose bit `s` of byte `l` is the
//! high bit of value `l` of sub-block `s`, then the low nibbles as in Q4_K.

use super::{BlockFormat, QK, Sub, half_at, k_scale_min};

pub struct Q5K;

impl BlockFormat for Q5K {
    const ELEMENTS: usize = 256;
    const BYTES: usize = 176;
    const SIGNED: bool = false;

    fn unpack(b: &[u8], out: &mut [Sub]) {
        let (d, dmin) = (half_at(b, 0), half_at(b, 2));
        let scales = &b[4..16];
        let high = &b[16..48];
        for (j, qs) in b[48..176].chunks_exact(QK).enumerate() {
            for half in 0..2 {
                let s = 2 * j + half;
                let (sc, m) = k_scale_min(s, scales);
                let sub = &mut out[s];
                sub.scale = [d * sc as f32; 2];
                sub.min = -dmin * m as f32;
                for ((q, &byte), &h) in sub.q.iter_mut().zip(qs).zip(high) {
                    *q = ((byte >> (4 * half)) & 0x0f) | (((h >> s) & 1) << 4);
                }
            }
        }
    }
}
