//! Q6_K: super-blocks of 256 six-bit values in sixteen groups of 16, each
//! with a signed 8-bit scale `sc` relative to the block's half-precision
//! `d`; weight `d · sc · (q - 32)`. Bytes: 128 of low nibbles, 64 of high
//! bit pairs, 16 scales, `d`. Each half of 128 values takes 64 low-nibble
//! bytes `ql` and 32 high bytes `qh`: its value `l + 32k` (k = 0..4) has the
//! low nibble of `ql[l + 32 (k % 2)]` (high nibble when `k ≥ 2`) and bits
//! `2k..2k + 2` of `qh[l]`.

use super::{BlockFormat, Sub, half_at};

pub struct Q6K;

impl BlockFormat for Q6K {
    const ELEMENTS: usize = 256;
    const BYTES: usize = 210;
    const SIGNED: bool = true;

    fn unpack(b: &[u8], out: &mut [Sub]) {
        let d = half_at(b, 208);
        let scales = &b[192..208];
        for n in 0..2 {
            let ql = &b[64 * n..64 * n + 64];
            let qh = &b[128 + 32 * n..128 + 32 * n + 32];
            for k in 0..4 {
                let s = 4 * n + k;
                let sub = &mut out[s];
                sub.scale = [
                    d * scales[2 * s] as i8 as f32,
                    d * scales[2 * s + 1] as i8 as f32,
                ];
                sub.min = 0.0;
                let low = &ql[32 * (k % 2)..32 * (k % 2) + 32];
                for (l, q) in sub.q.iter_mut().enumerate() {
                    let nibble = (low[l] >> (4 * (k / 2))) & 0x0f;
                    let high = (qh[l] >> (2 * k)) & 3;
                    *q = ((nibble | (high << 4)) as i8 - 32) as u8;
                }
            }
        }
    }
}
