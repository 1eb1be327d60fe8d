//! The kernels for any CPU: the reference the SIMD ones are tested against,
//! and the path of CPUs without AVX2.

use super::{Direct, Q8Block, Q8Tile, QK, Sub, TILE};
use crate::model::quant::half_at;

pub(super) fn quantize_row(x: &[f32], out: &mut [Q8Block]) {
    for (xs, block) in x.chunks_exact(QK).zip(out.iter_mut()) {
        let amax = xs.iter().fold(0f32, |a, v| a.max(v.abs()));
        let d = amax / 127.0;
        let id = if d != 0.0 { 1.0 / d } else { 0.0 };
        let mut sum = 0i32;
        for (q, v) in block.qs.iter_mut().zip(xs) {
            *q = (v * id).round_ties_even() as i8;
            sum += *q as i32;
        }
        block.d = d;
        block.s = d * sum as f32;
        block.sum = sum;
    }
}

pub(super) fn dot_tile(kind: Direct, w: &[u8], a: &[Q8Tile], tile: usize) -> [f32; TILE] {
    let size = w.len() / a.len();
    let full = tile == TILE;
    let mut out = [0f32; TILE];
    let nibbles = |qs: &[u8], ys: &[i8; QK]| -> i32 {
        qs.iter()
            .enumerate()
            .map(|(i, q)| (q & 0x0f) as i32 * ys[i] as i32 + (q >> 4) as i32 * ys[i + 16] as i32)
            .sum()
    };
    for (wb, ab) in w.chunks_exact(size).zip(a) {
        let d = half_at(wb, 0);
        for (t, o) in out.iter_mut().enumerate().take(tile) {
            let ys: [i8; QK] = std::array::from_fn(|c| ab.value(full, t, c));
            let (dot, offset) = match kind {
                Direct::Q8_0 => {
                    let dot = wb[2..34]
                        .iter()
                        .zip(ys)
                        .map(|(w, a)| (*w as i8) as i32 * a as i32)
                        .sum();
                    (dot, 0.0)
                }
                Direct::Q4_1 => (nibbles(&wb[4..20], &ys), half_at(wb, 2) * ab.s[t]),
                Direct::Q4_0 => (nibbles(&wb[2..18], &ys), -8.0 * d * ab.s[t]),
            };
            *o += d * ab.d[t] * dot as f32 + offset;
        }
    }
    out
}

/// Unpacked weight rows (`w`, one row of sub-blocks per element of `sums`)
/// against a tile of `tile` activation rows.
pub(super) fn dot_rows_unpacked(
    signed: bool,
    w: &[Sub],
    a: &[Q8Tile],
    tile: usize,
    sums: &mut [[f32; TILE]],
) {
    for (row, out) in w.chunks_exact(a.len()).zip(sums.iter_mut()) {
        *out = dot_unpacked(signed, row, a, tile);
    }
}

/// One unpacked weight row against a tile.
pub(super) fn dot_unpacked(signed: bool, w: &[Sub], a: &[Q8Tile], tile: usize) -> [f32; TILE] {
    let full = tile == TILE;
    let mut out = [0f32; TILE];
    for (sub, ab) in w.iter().zip(a) {
        for (t, o) in out.iter_mut().enumerate().take(tile) {
            let mut halves = [0i32; 2];
            for (c, &q) in sub.q.iter().enumerate() {
                let q = if signed { q as i8 as i32 } else { q as i32 };
                halves[c / 16] += q * ab.value(full, t, c) as i32;
            }
            let dot = sub.scale[0] * halves[0] as f32 + sub.scale[1] * halves[1] as f32;
            *o += ab.d[t] * dot + sub.min * ab.s[t];
        }
    }
    out
}
