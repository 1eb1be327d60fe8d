//! The kernels for any CPU: the reference the SIMD ones are tested against,
//! and the path of CPUs without AVX2.

use super::layout::Row;
use super::{Direct, Q8Block, Q8Tile, QK, Sub, TILE};

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

/// One repacked row (see `layout`) against a tile of `tile` rows.
pub(super) fn dot_tile(kind: Direct, w: &[u8], a: &[Q8Tile], tile: usize) -> [f32; TILE] {
    let row = Row::new(kind, w);
    let full = tile == TILE;
    let mut out = [0f32; TILE];
    for (b, ab) in a.iter().enumerate() {
        let (d, min) = (row.d(b), row.min(b));
        let values: [i32; QK] = match kind {
            Direct::Q8_0 => std::array::from_fn(|c| row.values(b)[c] as i8 as i32),
            Direct::Q4_0 | Direct::Q4_1 | Direct::Q5_0 => row.unsigned(b).map(i32::from),
        };
        for (t, o) in out.iter_mut().enumerate().take(tile) {
            let dot: i32 = (0..QK)
                .map(|c| values[c] * ab.value(full, t, c) as i32)
                .sum();
            *o += d * ab.d[t] * dot as f32 + min * ab.s[t];
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
