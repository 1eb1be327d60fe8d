//! Weight matrices in GGML block formats, and their products with f32
//! activations: `out[t][r] = Σ_c x[t][c] · W[r][c]`.
//!
//! The formats a small llama GGUF uses on its hot path (Q4_0, Q4_1, Q8_0) run
//! on kernels written here: activations are quantized once per product to
//! 8-bit blocks, and each weight block is unpacked once for a tile of up to
//! eight activation rows, so that prompt processing reads the weights once per
//! tile rather than once per token. Rows of the output are split over the model
//! team's threads (`team`). Every other block type (K-quants, Q5, dense f32) goes through
//! candle's CPU kernels on the same bytes.

use std::ops::Range;

use super::team;
use candle_core::quantized::GgmlType;
use candle_core::quantized::k_quants::{
    self, BlockQ2K, BlockQ3K, BlockQ4K, BlockQ5_0, BlockQ5_1, BlockQ5K, BlockQ6K,
};

use super::gguf::TensorType;
use crate::error::{Error, Result};

const QK: usize = 32;
/// Activation rows computed together against one weight block.
const TILE: usize = 8;
/// Weight rows whose products a worker keeps on the stack at a time.
const ROWS: usize = 32;
/// Weight rows of one part of [`Matrix::fold_rows`], and of one call of its
/// fold.
const FOLD_ROWS: usize = 1024;
const FOLD_STEP: usize = 256;

/// A weight matrix of `rows` × `cols`, row-major, in one GGML block format.
pub struct Matrix {
    kind: TensorType,
    rows: usize,
    cols: usize,
    /// The raw blocks, in a u64 buffer so that every block type is aligned.
    data: Vec<u64>,
    len: usize,
}

/// 8-bit quantized activations: 32 values, their scale `d`, and `s`, the
/// scale times the sum of the values (what a block offset multiplies).
#[derive(Clone, Copy)]
#[repr(C)]
struct Q8Block {
    d: f32,
    s: f32,
    /// The sum of the 32 quantized values (`s / d`, exactly).
    sum: i32,
    qs: [i8; QK],
}

/// The activations of a tile of [`TILE`] rows for one block of 32 columns,
/// interleaved so that a kernel loads all the rows' scales at once.
///
/// A full tile stores its values by groups of four columns:
/// `qs[group_slot(g)][4r..4r + 4]` holds columns `4g..4g + 4` of row `r`, so
/// that one 4-way product
/// against a weight group broadcast over the register covers all eight rows
/// and the integer sums of the rows end in the lanes of one register. A
/// partial tile (the last of a batch with `m % TILE` rows) stores each row
/// whole in `qs[r]` and repeats its last row.
#[derive(Clone, Copy)]
///
/// The values come first and the tile is aligned to a cache line, so that
/// no 64-byte load of two groups straddles two lines.
#[repr(C, align(64))]
struct Q8Tile {
    qs: [[i8; QK]; TILE],
    d: [f32; TILE],
    s: [f32; TILE],
    /// The sum of each row's 32 quantized values.
    sum: [i32; TILE],
}

impl Q8Tile {
    const ZERO: Q8Tile = Q8Tile {
        d: [0.0; TILE],
        s: [0.0; TILE],
        sum: [0; TILE],
        qs: [[0; QK]; TILE],
    };

    /// Quantized value of row `r`, column `c`, whatever the layout.
    fn value(&self, full: bool, r: usize, c: usize) -> i8 {
        if full {
            self.qs[group_slot(c / 4)][4 * r + c % 4]
        } else {
            self.qs[r][c]
        }
    }
}

/// Where a full tile keeps column group `g` (of eight): groups `g` and `g +
/// 4` side by side, so that one 512-bit load takes the two groups that an
/// in-lane broadcast of a block's weights pairs up (see `Vnni::full_dots`).
#[inline(always)]
const fn group_slot(g: usize) -> usize {
    if g < 4 { 2 * g } else { 2 * (g - 4) + 1 }
}

/// Quantizes the `m` rows of `x` (`blocks` blocks each) into tiles.
fn quantize_tiles(x: &[f32], m: usize, blocks: usize) -> Vec<Q8Tile> {
    let cols = blocks * QK;
    let tiles = m.div_ceil(TILE);
    let mut out = vec![Q8Tile::ZERO; tiles * blocks];
    let one = |(t, dst): (usize, &mut [Q8Tile])| {
        let blank = Q8Block {
            d: 0.0,
            s: 0.0,
            sum: 0,
            qs: [0; QK],
        };
        let full = m - t * TILE >= TILE;
        let mut row = vec![blank; blocks];
        for i in 0..TILE {
            let src = (t * TILE + i).min(m - 1);
            if i == 0 || src != t * TILE + i - 1 {
                quantize_row(&x[src * cols..][..cols], &mut row);
            }
            for (q, d) in row.iter().zip(dst.iter_mut()) {
                d.d[i] = q.d;
                d.s[i] = q.s;
                d.sum[i] = q.sum;
                if full {
                    for (g, four) in q.qs.chunks_exact(4).enumerate() {
                        d.qs[group_slot(g)][4 * i..4 * i + 4].copy_from_slice(four);
                    }
                } else {
                    d.qs[i] = q.qs;
                }
            }
        }
    };
    if m >= 8 {
        team::for_each_chunk(&mut out, blocks, |t, dst| one((t, dst)));
    } else {
        out.chunks_mut(blocks).enumerate().for_each(one);
    }
    out
}

impl Matrix {
    /// A matrix over raw GGML bytes. Fails on block types this build cannot
    /// compute with, naming them, and on a byte length that does not match.
    #[cfg(test)]
    pub fn from_bytes(kind: TensorType, rows: usize, cols: usize, bytes: &[u8]) -> Result<Matrix> {
        let mut m = Matrix::zeroed(kind, rows, cols)?;
        if bytes.len() != m.len {
            return Err(Error::Other(format!(
                "{} weight of {rows}x{cols} needs {} bytes, got {}",
                kind.name(),
                m.len,
                bytes.len()
            )));
        }
        m.bytes_mut().copy_from_slice(bytes);
        Ok(m)
    }

    /// A matrix of the right size for `kind`, to be filled through
    /// [`bytes_mut`](Self::bytes_mut).
    pub fn zeroed(kind: TensorType, rows: usize, cols: usize) -> Result<Matrix> {
        let (block, size) = computable(kind)?;
        if !cols.is_multiple_of(block) {
            return Err(Error::Other(format!(
                "{} weight with {cols} columns: not a multiple of its block size {block}",
                kind.name()
            )));
        }
        let len = rows
            .checked_mul(cols / block)
            .and_then(|blocks| blocks.checked_mul(size))
            .filter(|_| rows > 0 && cols > 0)
            .ok_or_else(|| {
                Error::Other(format!(
                    "{} weight of {rows}x{cols} has no size this build can hold",
                    kind.name()
                ))
            })?;
        Ok(Matrix {
            kind,
            rows,
            cols,
            data: vec![0u64; len.div_ceil(8)],
            len,
        })
    }

    /// A dense f32 matrix.
    pub fn from_f32(rows: usize, cols: usize, values: &[f32]) -> Matrix {
        assert_eq!(values.len(), rows * cols, "matrix shape");
        let mut m = Matrix::zeroed(TensorType::F32, rows, cols).expect("f32 is computable");
        for (dst, v) in m.bytes_mut().chunks_exact_mut(4).zip(values) {
            dst.copy_from_slice(&v.to_le_bytes());
        }
        m
    }

    pub fn rows(&self) -> usize {
        self.rows
    }

    #[cfg(test)]
    pub fn cols(&self) -> usize {
        self.cols
    }

    pub fn bytes(&self) -> &[u8] {
        // SAFETY: the u64 buffer holds at least `len` initialised bytes.
        unsafe { std::slice::from_raw_parts(self.data.as_ptr() as *const u8, self.len) }
    }

    pub fn bytes_mut(&mut self) -> &mut [u8] {
        // SAFETY: as above, and we hold the only reference.
        unsafe { std::slice::from_raw_parts_mut(self.data.as_mut_ptr() as *mut u8, self.len) }
    }

    fn row_bytes(&self) -> usize {
        self.len / self.rows.max(1)
    }

    /// `out[t * rows + r] = x[t] · W[r]` for the `m` rows of `x` (`m × cols`).
    pub fn matmul(&self, x: &[f32], m: usize, out: &mut [f32]) {
        assert_eq!(x.len(), m * self.cols, "activation shape");
        assert!(out.len() >= m * self.rows, "output shape");
        if self.has_q8_kernels() {
            self.matmul_q8(x, m, out)
        } else {
            self.matmul_candle(x, m, out)
        }
    }

    /// Dequantizes row `r` into `out` (`cols` values).
    pub fn row(&self, r: usize, out: &mut [f32]) {
        let rb = self.row_bytes();
        let bytes = &self.bytes()[r * rb..(r + 1) * rb];
        match self.kind {
            TensorType::Q4_0 | TensorType::Q4_1 | TensorType::Q8_0 => {
                let size = rb / (self.cols / QK);
                for (b, chunk) in bytes.chunks_exact(size).enumerate() {
                    dequantize_block(self.kind, chunk, &mut out[b * QK..(b + 1) * QK]);
                }
            }
            _ => with_blocks(self.kind, bytes, |view| view.to_float(out)),
        }
    }

    fn matmul_q8(&self, x: &[f32], m: usize, out: &mut [f32]) {
        matmul_q8_group(&[self], x, m, &mut [out]);
    }

    /// Whether products run on the 8-bit activation kernels.
    fn has_q8_kernels(&self) -> bool {
        matches!(
            self.kind,
            TensorType::Q4_0 | TensorType::Q4_1 | TensorType::Q8_0
        )
    }

    /// Writes `x · W[r]` to `dst[t * rows + r]` for `r` in `rows`, a few
    /// weight rows at a time against every tile (the rows stay in cache and
    /// their sums on the stack).
    fn product_rows(&self, acts: &[Q8Tile], m: usize, rows: Range<usize>, dst: &SharedOut) {
        self.product_rows_into(acts, m, rows, dst, self.rows, 0);
    }

    /// [`Matrix::product_rows`] writing `x_t · W[r]` to `dst[t * stride + r -
    /// first]`.
    fn product_rows_into(
        &self,
        acts: &[Q8Tile],
        m: usize,
        rows: Range<usize>,
        dst: &SharedOut,
        stride: usize,
        first: usize,
    ) {
        let blocks = self.cols / QK;
        let rb = self.row_bytes();
        let mut sums = [[0f32; TILE]; ROWS];
        for start in rows.clone().step_by(ROWS) {
            let end = (start + ROWS).min(rows.end);
            let w = &self.bytes()[start * rb..end * rb];
            let sums = &mut sums[..end - start];
            for (tile_index, a) in acts.chunks(blocks).enumerate() {
                let t0 = tile_index * TILE;
                let tile = (m - t0).min(TILE);
                dot_rows(self.kind, w, a, tile, sums);
                for i in 0..tile {
                    for (r, s) in (start..end).zip(sums.iter()) {
                        // SAFETY: each (t, r) is written by exactly one
                        // worker, inside the `m × rows` output.
                        unsafe { *dst.0.add((t0 + i) * stride + r - first) = s[i] };
                    }
                }
            }
        }
    }

    /// The products `x_t · W[r]` of `m` activation rows with every row of
    /// `W`, handed out without ever being stored whole: the rows of `W` are
    /// cut into parts of [`FOLD_ROWS`] (the same whatever the thread count),
    /// each part starts from `init()` and `fold(state, rows, out)` receives
    /// its products a few rows at a time, `out[t * rows.len() + i]` for row
    /// `rows.start + i`, in order. Returns each part's state, in part order.
    pub fn fold_rows<A: Send>(
        &self,
        x: &[f32],
        m: usize,
        init: impl Fn() -> A,
        fold: impl Fn(&mut A, Range<usize>, &[f32]) + Sync,
    ) -> Vec<A> {
        assert_eq!(x.len(), m * self.cols, "activation shape");
        let mut states: Vec<A> = (0..self.rows.div_ceil(FOLD_ROWS)).map(|_| init()).collect();
        if !self.has_q8_kernels() {
            let mut all = vec![0f32; m * self.rows];
            self.matmul(x, m, &mut all);
            let mut piece = Vec::new();
            for (p, state) in states.iter_mut().enumerate() {
                let rows = p * FOLD_ROWS..((p + 1) * FOLD_ROWS).min(self.rows);
                piece.clear();
                for t in 0..m {
                    piece.extend_from_slice(&all[t * self.rows..][rows.clone()]);
                }
                fold(state, rows, &piece);
            }
            return states;
        }
        let acts = quantize_tiles(x, m, self.cols / QK);
        team::for_each_chunk(&mut states, 1, |p, state| {
            let mut out = vec![0f32; m * FOLD_STEP];
            let end = ((p + 1) * FOLD_ROWS).min(self.rows);
            for start in (p * FOLD_ROWS..end).step_by(FOLD_STEP) {
                let rows = start..(start + FOLD_STEP).min(end);
                let len = rows.len();
                let dst = SharedOut(out.as_mut_ptr());
                self.product_rows_into(&acts, m, rows.clone(), &dst, len, start);
                fold(&mut state[0], rows, &out[..m * len]);
            }
        });
        states
    }

    fn matmul_candle(&self, x: &[f32], m: usize, out: &mut [f32]) {
        let dims = (m, self.cols, self.rows);
        let out = &mut out[..m * self.rows];
        with_blocks(self.kind, self.bytes(), |view| view.matmul(dims, x, out));
    }
}

/// `outs[i] = x · mats[i]ᵀ` for matrices that read the same activations
/// (`m × cols` each), as one job: on the 8-bit kernels the activations are
/// quantized once and the rows of all the matrices are shared out among the
/// workers together, so a decode step waits on one parallel region instead of
/// one per matrix.
pub fn matmul_many(mats: &[&Matrix], x: &[f32], m: usize, outs: &mut [&mut [f32]]) {
    assert_eq!(mats.len(), outs.len(), "one output per matrix");
    let shared = mats.first().is_some_and(|first| {
        mats.iter()
            .all(|w| w.has_q8_kernels() && w.cols == first.cols)
    });
    if !shared {
        for (w, out) in mats.iter().zip(outs.iter_mut()) {
            w.matmul(x, m, out);
        }
        return;
    }
    for (w, out) in mats.iter().zip(outs.iter()) {
        assert_eq!(x.len(), m * w.cols, "activation shape");
        assert!(out.len() >= m * w.rows, "output shape");
    }
    matmul_q8_group(mats, x, m, outs);
}

/// The products of [`matmul_many`] on the 8-bit kernels (shapes checked).
fn matmul_q8_group(mats: &[&Matrix], x: &[f32], m: usize, outs: &mut [&mut [f32]]) {
    let acts = quantize_tiles(x, m, mats[0].cols / QK);
    let dsts: Vec<SharedOut> = outs.iter_mut().map(|o| SharedOut(o.as_mut_ptr())).collect();
    let total = mats.iter().map(|w| w.rows).sum();
    for_row_ranges(total, m, |range: Range<usize>| {
        let mut first = 0;
        for (w, dst) in mats.iter().zip(&dsts) {
            let rows = range.start.max(first)..range.end.min(first + w.rows);
            if !rows.is_empty() {
                w.product_rows(&acts, m, rows.start - first..rows.end - first, dst);
            }
            first += w.rows;
        }
    });
}

/// The block geometry of a type this build can compute with.
fn computable(kind: TensorType) -> Result<(usize, usize)> {
    let supported = matches!(kind.0, 0 | 2 | 3 | 6 | 7 | 8 | 10 | 11 | 12 | 13 | 14);
    match kind.block() {
        Some(b) if supported => Ok(b),
        _ => Err(Error::Other(format!(
            "unsupported quantization type {} (supported: F32, F16, BF16, Q4_0, Q4_1, Q5_0, Q5_1, Q8_0, Q2_K..Q6_K)",
            kind.name()
        ))),
    }
}

/// Splits the output rows over the model team. Tiny products stay on the
/// calling thread, where the cost of waking workers would dominate.
fn for_row_ranges(n: usize, m: usize, f: impl Fn(Range<usize>) + Sync) {
    let threads = team::threads();
    if threads == 1 || n * m < 256 {
        return f(0..n);
    }
    // Parts of whole groups of ROWS rows, about 16 per thread: the team
    // claims them one at a time, so a loop ends with at most one small part
    // still running.
    let step = n.div_ceil(threads * 16).next_multiple_of(ROWS);
    let parts = n.div_ceil(step);
    team::for_each(parts, |p| {
        let start = p * step;
        if start < n {
            f(start..(start + step).min(n))
        }
    });
}

struct SharedOut(*mut f32);
// SAFETY: workers write disjoint elements through the pointer.
unsafe impl Sync for SharedOut {}

/// One dynamic view over the candle block types, so that conversion and
/// products dispatch once per call.
trait BlockView {
    fn to_float(&self, out: &mut [f32]);
    fn matmul(&self, dims: (usize, usize, usize), x: &[f32], out: &mut [f32]);
}

impl<T: GgmlType> BlockView for &[T] {
    fn to_float(&self, out: &mut [f32]) {
        T::to_float(self, out)
    }

    fn matmul(&self, dims: (usize, usize, usize), x: &[f32], out: &mut [f32]) {
        k_quants::matmul(dims, x, self, out).expect("shapes checked by Matrix");
    }
}

fn with_blocks<R>(kind: TensorType, bytes: &[u8], f: impl FnOnce(&dyn BlockView) -> R) -> R {
    fn cast<T>(bytes: &[u8]) -> &[T] {
        let size = std::mem::size_of::<T>();
        assert_eq!(
            bytes.as_ptr() as usize % std::mem::align_of::<T>(),
            0,
            "block alignment"
        );
        // SAFETY: the buffer is aligned (checked) and holds whole blocks of
        // plain-old-data types with no invalid bit patterns.
        unsafe { std::slice::from_raw_parts(bytes.as_ptr() as *const T, bytes.len() / size) }
    }
    match kind.0 {
        0 => f(&cast::<f32>(bytes)),
        6 => f(&cast::<BlockQ5_0>(bytes)),
        7 => f(&cast::<BlockQ5_1>(bytes)),
        10 => f(&cast::<BlockQ2K>(bytes)),
        11 => f(&cast::<BlockQ3K>(bytes)),
        12 => f(&cast::<BlockQ4K>(bytes)),
        13 => f(&cast::<BlockQ5K>(bytes)),
        14 => f(&cast::<BlockQ6K>(bytes)),
        other => unreachable!("type {other} has its own kernels"),
    }
}

/// IEEE half precision to f32.
pub fn f16_to_f32(bits: u16) -> f32 {
    let sign = ((bits >> 15) as u32) << 31;
    let exp = ((bits >> 10) & 0x1f) as u32;
    let man = (bits & 0x3ff) as u32;
    let v = match (exp, man) {
        (0, 0) => sign,
        (0, _) => {
            // Subnormal: normalise the mantissa.
            let shift = man.leading_zeros() - 21;
            let man = (man << shift) & 0x3ff;
            sign | ((127 - 15 + 1 - shift) << 23) | (man << 13)
        }
        (0x1f, _) => sign | 0x7f80_0000 | (man << 13),
        _ => sign | ((exp + 127 - 15) << 23) | (man << 13),
    };
    f32::from_bits(v)
}

fn half_at(bytes: &[u8], at: usize) -> f32 {
    f16_to_f32(u16::from_le_bytes([bytes[at], bytes[at + 1]]))
}

fn dequantize_block(kind: TensorType, b: &[u8], out: &mut [f32]) {
    let d = half_at(b, 0);
    match kind {
        TensorType::Q8_0 => {
            for (o, q) in out.iter_mut().zip(&b[2..34]) {
                *o = d * (*q as i8) as f32;
            }
        }
        _ => {
            let (min, qs) = if kind == TensorType::Q4_1 {
                (half_at(b, 2), &b[4..20])
            } else {
                (-8.0 * d, &b[2..18])
            };
            for (i, q) in qs.iter().enumerate() {
                out[i] = d * (q & 0x0f) as f32 + min;
                out[i + 16] = d * (q >> 4) as f32 + min;
            }
        }
    }
}

fn quantize_row(x: &[f32], out: &mut [Q8Block]) {
    #[cfg(target_arch = "x86_64")]
    if has_avx2() {
        // SAFETY: the CPU supports AVX2 (checked at runtime).
        return unsafe { x86::quantize_row(x, out) };
    }
    quantize_row_scalar(x, out)
}

fn quantize_row_scalar(x: &[f32], out: &mut [Q8Block]) {
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

/// Dot products of consecutive weight rows (`w`, one row per element of
/// `sums`) with a tile of `tile` activation rows: `sums[r][t]` is row `r`
/// against activation row `t`.
fn dot_rows(kind: TensorType, w: &[u8], a: &[Q8Tile], tile: usize, sums: &mut [[f32; TILE]]) {
    #[cfg(target_arch = "x86_64")]
    if has_vnni() {
        // SAFETY: the CPU supports AVX2, FMA and AVX-512 VNNI on 256-bit
        // registers (checked at runtime).
        return unsafe { x86::dot_rows_vnni(kind, w, a, tile, sums) };
    }
    #[cfg(target_arch = "x86_64")]
    if has_avx2() {
        // SAFETY: the CPU supports AVX2 and FMA (checked at runtime).
        return unsafe { x86::dot_rows(kind, w, a, tile, sums) };
    }
    let row_bytes = w.len() / sums.len().max(1);
    for (row, out) in w.chunks_exact(row_bytes).zip(sums.iter_mut()) {
        *out = dot_tile_scalar(kind, row, a, tile);
    }
}

#[cfg(target_arch = "x86_64")]
fn has_vnni() -> bool {
    use std::sync::OnceLock;
    static HAS: OnceLock<bool> = OnceLock::new();
    *HAS.get_or_init(|| {
        has_avx2()
            && is_x86_feature_detected!("avx512f")
            && is_x86_feature_detected!("avx512bw")
            && is_x86_feature_detected!("avx512vnni")
            && is_x86_feature_detected!("avx512vl")
    })
}

#[cfg(target_arch = "x86_64")]
fn has_avx2() -> bool {
    use std::sync::OnceLock;
    static HAS: OnceLock<bool> = OnceLock::new();
    *HAS.get_or_init(|| {
        is_x86_feature_detected!("avx2")
            && is_x86_feature_detected!("fma")
            && is_x86_feature_detected!("f16c")
    })
}

fn dot_tile_scalar(kind: TensorType, w: &[u8], a: &[Q8Tile], tile: usize) -> [f32; TILE] {
    let size = w.len() / a.len();
    let full = tile == TILE;
    let mut out = [0f32; TILE];
    for (wb, ab) in w.chunks_exact(size).zip(a) {
        let d = half_at(wb, 0);
        for (t, o) in out.iter_mut().enumerate().take(tile) {
            let ys: [i8; QK] = std::array::from_fn(|c| ab.value(full, t, c));
            let dot: i32 = match kind {
                TensorType::Q8_0 => wb[2..34]
                    .iter()
                    .zip(ys)
                    .map(|(w, a)| (*w as i8) as i32 * a as i32)
                    .sum(),
                _ => {
                    let qs = if kind == TensorType::Q4_1 {
                        &wb[4..20]
                    } else {
                        &wb[2..18]
                    };
                    qs.iter()
                        .enumerate()
                        .map(|(i, q)| {
                            (q & 0x0f) as i32 * ys[i] as i32 + (q >> 4) as i32 * ys[i + 16] as i32
                        })
                        .sum()
                }
            };
            let offset = match kind {
                TensorType::Q4_1 => half_at(wb, 2) * ab.s[t],
                TensorType::Q4_0 => -8.0 * d * ab.s[t],
                _ => 0.0,
            };
            *o += d * ab.d[t] * dot as f32 + offset;
        }
    }
    out
}

#[cfg(target_arch = "x86_64")]
#[allow(unsafe_op_in_unsafe_fn)]
mod x86 {
    use std::arch::x86_64::*;

    use super::{Q8Block, Q8Tile, QK, TILE, TensorType, group_slot};

    /// Sums of four adjacent u8·i8 products, as 8 i32 lanes.
    trait Dot4 {
        /// Whether products of any u8 with any i8 are exact (no
        /// intermediate 16-bit saturation).
        const WIDE: bool;

        unsafe fn dot(u: __m256i, s: __m256i) -> __m256i;

        /// `acc` plus the sums of four adjacent u8·i8 products.
        unsafe fn dot_add(acc: __m256i, u: __m256i, s: __m256i) -> __m256i;

        /// The integer dot products of the 32 unsigned weights `q` of a
        /// block with the eight rows of a full tile (see
        /// [`full_tile_dots`]).
        #[inline(always)]
        unsafe fn full_dots(q: __m256i, ab: &Q8Tile) -> __m256i
        where
            Self: Sized,
        {
            full_tile_dots::<Self, false>(q, ab)
        }

        /// [`Dot4::full_dots`] of the 16 bytes of four-bit values at `qs`.
        #[inline(always)]
        unsafe fn q4_full_dots(qs: *const u8, ab: &Q8Tile) -> __m256i
        where
            Self: Sized,
        {
            Self::full_dots(q4_values(qs), ab)
        }
    }

    /// AVX2: `maddubs` (pairs to i16; no saturation for these ranges) then
    /// `madd` with ones.
    struct Avx2;
    impl Dot4 for Avx2 {
        const WIDE: bool = false;

        #[inline(always)]
        unsafe fn dot(u: __m256i, s: __m256i) -> __m256i {
            _mm256_madd_epi16(_mm256_maddubs_epi16(u, s), _mm256_set1_epi16(1))
        }

        #[inline(always)]
        unsafe fn dot_add(acc: __m256i, u: __m256i, s: __m256i) -> __m256i {
            _mm256_add_epi32(acc, Self::dot(u, s))
        }
    }

    /// AVX-512 VNNI on 256-bit registers: one `vpdpbusd`.
    struct Vnni;
    impl Dot4 for Vnni {
        const WIDE: bool = true;

        #[inline(always)]
        unsafe fn dot(u: __m256i, s: __m256i) -> __m256i {
            _mm256_dpbusd_epi32(_mm256_setzero_si256(), u, s)
        }

        #[inline(always)]
        unsafe fn dot_add(acc: __m256i, u: __m256i, s: __m256i) -> __m256i {
            _mm256_dpbusd_epi32(acc, u, s)
        }

        /// Two groups of four columns at a time on 512-bit registers: the
        /// weights' low 16 bytes go to the two low 128-bit lanes and the
        /// high 16 to the two high ones, so that one in-lane broadcast puts
        /// group `i` over the low half and group `i + 4` over the high half,
        /// against the two groups' 64 contiguous activation bytes (see
        /// `group_slot`); the halves are added at the end.
        #[inline(always)]
        unsafe fn full_dots(q: __m256i, ab: &Q8Tile) -> __m256i {
            let q = _mm512_castsi256_si512(q);
            wide_dots(_mm512_shuffle_i64x2::<0b01_01_00_00>(q, q), ab)
        }

        /// The low nibbles go to the two low lanes and the high ones to the
        /// two high lanes straight from one broadcast load.
        #[inline(always)]
        unsafe fn q4_full_dots(qs: *const u8, ab: &Q8Tile) -> __m256i {
            let all = _mm512_broadcast_i32x4(_mm_loadu_si128(qs as *const __m128i));
            let shifts = _mm512_setr_epi64(0, 0, 0, 0, 4, 4, 4, 4);
            let q = _mm512_and_si512(_mm512_srlv_epi64(all, shifts), _mm512_set1_epi8(0x0f));
            wide_dots(q, ab)
        }
    }

    /// The products of a block's 32 weights, spread so that 128-bit lanes 0
    /// and 1 hold its first 16 bytes and lanes 2 and 3 the last 16, with a
    /// full tile: one in-lane broadcast puts column group `i` over the low
    /// half and group `i + 4` over the high half, against the two groups' 64
    /// contiguous activation bytes (see `group_slot`); the halves are added
    /// at the end.
    #[inline(always)]
    unsafe fn wide_dots(q: __m512i, ab: &Q8Tile) -> __m256i {
        let base = ab.qs.as_ptr() as *const __m512i;
        let y = |i: usize| _mm512_load_si512(base.add(i));
        let zero = _mm512_setzero_si512();
        let a = _mm512_dpbusd_epi32(zero, _mm512_shuffle_epi32::<0x00>(q), y(0));
        let b = _mm512_dpbusd_epi32(zero, _mm512_shuffle_epi32::<0x55>(q), y(1));
        let a = _mm512_dpbusd_epi32(a, _mm512_shuffle_epi32::<0xaa>(q), y(2));
        let b = _mm512_dpbusd_epi32(b, _mm512_shuffle_epi32::<0xff>(q), y(3));
        let sum = _mm512_add_epi32(a, b);
        _mm256_add_epi32(
            _mm512_castsi512_si256(sum),
            _mm512_extracti64x4_epi64::<1>(sum),
        )
    }

    #[target_feature(enable = "avx2,fma,f16c")]
    pub(super) unsafe fn dot_rows(
        kind: TensorType,
        w: &[u8],
        a: &[Q8Tile],
        tile: usize,
        sums: &mut [[f32; TILE]],
    ) {
        dispatch::<Avx2>(kind, w, a, tile, sums)
    }

    #[target_feature(enable = "avx2,fma,f16c,avx512f,avx512bw,avx512vnni,avx512vl")]
    pub(super) unsafe fn dot_rows_vnni(
        kind: TensorType,
        w: &[u8],
        a: &[Q8Tile],
        tile: usize,
        sums: &mut [[f32; TILE]],
    ) {
        dispatch::<Vnni>(kind, w, a, tile, sums)
    }

    /// Picks the kernel once for all the rows of `w`.
    #[inline(always)]
    unsafe fn dispatch<D: Dot4>(
        kind: TensorType,
        w: &[u8],
        a: &[Q8Tile],
        tile: usize,
        sums: &mut [[f32; TILE]],
    ) {
        let row_bytes = w.len() / sums.len().max(1);
        macro_rules! each_row {
            ($kernel:expr) => {
                for (row, out) in w.chunks_exact(row_bytes).zip(sums.iter_mut()) {
                    *out = $kernel(row, a);
                }
            };
        }
        // Partial tiles repeat their last row (see `quantize_tiles`), so only
        // a single row needs its own kernel.
        match (kind, tile) {
            (TensorType::Q8_0, TILE) => each_row!(q8_0_full::<D>),
            (TensorType::Q4_1, TILE) => each_row!(q4_full::<D, true>),
            (_, TILE) => each_row!(q4_full::<D, false>),
            (TensorType::Q8_0, 1) => each_row!(q8_0::<D, 1>),
            (TensorType::Q8_0, 2..=4) => each_row!(q8_0::<D, 4>),
            (TensorType::Q8_0, _) => each_row!(q8_0::<D, TILE>),
            (TensorType::Q4_1, 1) => each_row!(q4::<D, 1, true>),
            (TensorType::Q4_1, 2..=4) => each_row!(q4::<D, 4, true>),
            (TensorType::Q4_1, _) => each_row!(q4::<D, TILE, true>),
            (_, 1) => each_row!(q4::<D, 1, false>),
            (_, 2..=4) => each_row!(q4::<D, 4, false>),
            _ => each_row!(q4::<D, TILE, false>),
        }
    }

    /// 8-bit quantization of activation blocks, rounding to nearest even.
    #[target_feature(enable = "avx2,fma")]
    pub(super) unsafe fn quantize_row(x: &[f32], out: &mut [Q8Block]) {
        let abs_mask = _mm256_set1_ps(f32::from_bits(0x7fff_ffff));
        for (xs, block) in x.chunks_exact(QK).zip(out.iter_mut()) {
            let p = xs.as_ptr();
            let v: [__m256; 4] = std::array::from_fn(|i| _mm256_loadu_ps(p.add(8 * i)));
            let m = _mm256_max_ps(
                _mm256_max_ps(_mm256_and_ps(v[0], abs_mask), _mm256_and_ps(v[1], abs_mask)),
                _mm256_max_ps(_mm256_and_ps(v[2], abs_mask), _mm256_and_ps(v[3], abs_mask)),
            );
            let m = _mm_max_ps(_mm256_castps256_ps128(m), _mm256_extractf128_ps(m, 1));
            let m = _mm_max_ps(m, _mm_movehl_ps(m, m));
            let m = _mm_max_ss(m, _mm_shuffle_ps(m, m, 1));
            let d = _mm_cvtss_f32(m) / 127.0;
            let id = _mm256_set1_ps(if d != 0.0 { 1.0 / d } else { 0.0 });
            let q: [__m256i; 4] = std::array::from_fn(|i| {
                _mm256_cvtps_epi32(_mm256_round_ps(
                    _mm256_mul_ps(v[i], id),
                    _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC,
                ))
            });
            let sum = _mm256_add_epi32(_mm256_add_epi32(q[0], q[1]), _mm256_add_epi32(q[2], q[3]));
            let sum = _mm_add_epi32(
                _mm256_castsi256_si128(sum),
                _mm256_extracti128_si256(sum, 1),
            );
            let sum = _mm_hadd_epi32(sum, sum);
            let sum = _mm_hadd_epi32(sum, sum);
            // i32 → i16 → i8 with saturation; packs interleave 128-bit
            // lanes, which the final permutation undoes.
            let lo = _mm256_packs_epi32(q[0], q[1]);
            let hi = _mm256_packs_epi32(q[2], q[3]);
            let bytes = _mm256_packs_epi16(lo, hi);
            let bytes =
                _mm256_permutevar8x32_epi32(bytes, _mm256_setr_epi32(0, 4, 1, 5, 2, 6, 3, 7));
            _mm256_storeu_si256(block.qs.as_mut_ptr() as *mut __m256i, bytes);
            block.d = d;
            let sum = _mm_cvtsi128_si32(sum);
            block.s = d * sum as f32;
            block.sum = sum;
        }
    }

    #[inline(always)]
    unsafe fn hsum(v: __m256) -> f32 {
        let s = _mm_add_ps(_mm256_castps256_ps128(v), _mm256_extractf128_ps(v, 1));
        let s = _mm_add_ps(s, _mm_movehl_ps(s, s));
        let s = _mm_add_ss(s, _mm_shuffle_ps(s, s, 1));
        _mm_cvtss_f32(s)
    }

    /// One Q4_0 / Q4_1 block at `wb`: its scale and offset broadcast, and
    /// its 32 values as unsigned bytes in column order.
    #[inline(always)]
    unsafe fn q4_block<const MIN: bool>(wb: *const u8) -> (__m256, __m256, __m256i) {
        let (d, min) = q4_scales::<MIN>(wb);
        (d, min, q4_values(wb.add(if MIN { 4 } else { 2 })))
    }

    /// The scale and offset of a Q4_0 / Q4_1 block, broadcast.
    #[inline(always)]
    unsafe fn q4_scales<const MIN: bool>(wb: *const u8) -> (__m256, __m256) {
        let dm = _mm_cvtph_ps(_mm_cvtsi32_si128(std::ptr::read_unaligned(
            wb as *const i32,
        )));
        let d = _mm256_broadcastss_ps(dm);
        let min = if MIN {
            _mm256_broadcastss_ps(_mm_shuffle_ps(dm, dm, 0b0101_0101))
        } else {
            _mm256_mul_ps(d, _mm256_set1_ps(-8.0))
        };
        (d, min)
    }

    /// The 32 four-bit values at `qs` as unsigned bytes in column order.
    #[inline(always)]
    unsafe fn q4_values(qs: *const u8) -> __m256i {
        let mask = _mm_set1_epi8(0x0f);
        let qs = _mm_loadu_si128(qs as *const __m128i);
        let lo = _mm_and_si128(qs, mask);
        let hi = _mm_and_si128(_mm_srli_epi16(qs, 4), mask);
        _mm256_set_m128i(hi, lo)
    }

    /// Q4_0 (`MIN` false: values q-8) and Q4_1 (`MIN` true: d·q + m).
    #[inline(always)]
    unsafe fn q4<D: Dot4, const R: usize, const MIN: bool>(w: &[u8], a: &[Q8Tile]) -> [f32; TILE] {
        let size = if MIN { 20 } else { 18 };
        let nb = a.len();
        debug_assert_eq!(w.len(), nb * size);
        let mut acc = [_mm256_setzero_ps(); R];
        let mut offsets = _mm256_setzero_ps();
        let p = w.as_ptr();
        for b in 0..nb {
            let (d, min, q) = q4_block::<MIN>(p.add(b * size));
            let ab = a.get_unchecked(b);
            // The rows' scales and block offsets in one go each.
            let mut scales = [0f32; TILE];
            _mm256_storeu_ps(
                scales.as_mut_ptr(),
                _mm256_mul_ps(d, _mm256_load_ps(ab.d.as_ptr())),
            );
            offsets = _mm256_fmadd_ps(min, _mm256_load_ps(ab.s.as_ptr()), offsets);
            for r in 0..R {
                let y = _mm256_load_si256(ab.qs[r].as_ptr() as *const __m256i);
                let prod = D::dot(q, y);
                acc[r] = _mm256_fmadd_ps(
                    _mm256_broadcast_ss(&scales[r]),
                    _mm256_cvtepi32_ps(prod),
                    acc[r],
                );
            }
        }
        let mut off = [0f32; TILE];
        _mm256_storeu_ps(off.as_mut_ptr(), offsets);
        let mut out = [0f32; TILE];
        for r in 0..R {
            out[r] = hsum(acc[r]) + off[r];
        }
        out
    }

    #[inline(always)]
    unsafe fn q8_0<D: Dot4, const R: usize>(w: &[u8], a: &[Q8Tile]) -> [f32; TILE] {
        let nb = a.len();
        debug_assert_eq!(w.len(), nb * 34);
        let mut acc = [_mm256_setzero_ps(); R];
        let p = w.as_ptr();
        for b in 0..nb {
            let wb = p.add(b * 34);
            let d = _mm_cvtph_ps(_mm_cvtsi32_si128(
                std::ptr::read_unaligned(wb as *const u16) as i32,
            ));
            let d = _mm256_broadcastss_ps(d);
            let ab = a.get_unchecked(b);
            let mut scales = [0f32; TILE];
            _mm256_storeu_ps(
                scales.as_mut_ptr(),
                _mm256_mul_ps(d, _mm256_load_ps(ab.d.as_ptr())),
            );
            let q = _mm256_loadu_si256(wb.add(2) as *const __m256i);
            let qa = _mm256_sign_epi8(q, q);
            for r in 0..R {
                let y = _mm256_load_si256(ab.qs[r].as_ptr() as *const __m256i);
                let prod = D::dot(qa, _mm256_sign_epi8(y, q));
                acc[r] = _mm256_fmadd_ps(
                    _mm256_broadcast_ss(&scales[r]),
                    _mm256_cvtepi32_ps(prod),
                    acc[r],
                );
            }
        }
        let mut out = [0f32; TILE];
        for r in 0..R {
            out[r] = hsum(acc[r]);
        }
        out
    }

    /// The 32 weights of a block (one byte per column) against a full tile:
    /// each group of four columns broadcast over the register meets that
    /// group of all eight rows, and the products accumulate in one register
    /// whose lanes are the rows. Returns the rows' integer dot products.
    /// Weights are unsigned unless `SIGNED`, when each product takes the
    /// weight's sign over to the activation (`maddubs` multiplies unsigned
    /// by signed bytes).
    #[inline(always)]
    unsafe fn full_tile_dots<D: Dot4, const SIGNED: bool>(q: __m256i, ab: &Q8Tile) -> __m256i {
        // Through memory: a broadcast load costs no vector ALU.
        let mut groups = [0i32; 8];
        _mm256_storeu_si256(groups.as_mut_ptr() as *mut __m256i, q);
        let product = |acc: __m256i, g: usize| {
            let w = _mm256_set1_epi32(groups[g]);
            let y = _mm256_load_si256(ab.qs[group_slot(g)].as_ptr() as *const __m256i);
            if SIGNED {
                D::dot_add(acc, _mm256_sign_epi8(w, w), _mm256_sign_epi8(y, w))
            } else {
                D::dot_add(acc, w, y)
            }
        };
        let mut acc = [_mm256_setzero_si256(); 4];
        for g in 0..8 {
            acc[g % 4] = product(acc[g % 4], g);
        }
        _mm256_add_epi32(
            _mm256_add_epi32(acc[0], acc[1]),
            _mm256_add_epi32(acc[2], acc[3]),
        )
    }

    /// Q4_0 and Q4_1 against a full tile (see [`full_tile_dots`]).
    #[inline(always)]
    unsafe fn q4_full<D: Dot4, const MIN: bool>(w: &[u8], a: &[Q8Tile]) -> [f32; TILE] {
        let size = if MIN { 20 } else { 18 };
        debug_assert_eq!(w.len(), a.len() * size);
        let mut acc = _mm256_setzero_ps();
        let mut offsets = _mm256_setzero_ps();
        let p = w.as_ptr();
        for (b, ab) in a.iter().enumerate() {
            let wb = p.add(b * size);
            let (d, min) = q4_scales::<MIN>(wb);
            offsets = _mm256_fmadd_ps(min, _mm256_load_ps(ab.s.as_ptr()), offsets);
            let dots = D::q4_full_dots(wb.add(size - 16), ab);
            let scales = _mm256_mul_ps(d, _mm256_load_ps(ab.d.as_ptr()));
            acc = _mm256_fmadd_ps(scales, _mm256_cvtepi32_ps(dots), acc);
        }
        let mut out = [0f32; TILE];
        _mm256_storeu_ps(out.as_mut_ptr(), _mm256_add_ps(acc, offsets));
        out
    }

    /// Q8_0 against a full tile. With VNNI (no 16-bit saturation) the
    /// signed weights are shifted by 128 to unsigned bytes and 128 times
    /// each row's sum is taken off again, in integers, so the result is
    /// exact; otherwise the weights' signs move over to the activations.
    #[inline(always)]
    unsafe fn q8_0_full<D: Dot4>(w: &[u8], a: &[Q8Tile]) -> [f32; TILE] {
        debug_assert_eq!(w.len(), a.len() * 34);
        let bias = _mm256_set1_epi8(-128);
        let mut acc = _mm256_setzero_ps();
        let p = w.as_ptr();
        for (b, ab) in a.iter().enumerate() {
            let wb = p.add(b * 34);
            let d = _mm_cvtph_ps(_mm_cvtsi32_si128(
                std::ptr::read_unaligned(wb as *const u16) as i32,
            ));
            let d = _mm256_broadcastss_ps(d);
            let q = _mm256_loadu_si256(wb.add(2) as *const __m256i);
            let dots = if D::WIDE {
                let biased = D::full_dots(_mm256_xor_si256(q, bias), ab);
                let sums = _mm256_load_si256(ab.sum.as_ptr() as *const __m256i);
                _mm256_sub_epi32(biased, _mm256_slli_epi32(sums, 7))
            } else {
                full_tile_dots::<D, true>(q, ab)
            };
            let scales = _mm256_mul_ps(d, _mm256_load_ps(ab.d.as_ptr()));
            acc = _mm256_fmadd_ps(scales, _mm256_cvtepi32_ps(dots), acc);
        }
        let mut out = [0f32; TILE];
        _mm256_storeu_ps(out.as_mut_ptr(), acc);
        out
    }

    const _: () = assert!(QK == 32);
}

#[cfg(test)]
mod tests {
    use super::*;

    fn random(n: usize, seed: u64) -> Vec<f32> {
        let mut s = seed;
        (0..n)
            .map(|_| {
                s = s
                    .wrapping_mul(6364136223846793005)
                    .wrapping_add(1442695040888963407);
                ((s >> 40) as f32 / (1u64 << 24) as f32) * 2.0 - 1.0
            })
            .collect()
    }

    /// Quantizes a dense matrix with candle's reference quantizers.
    fn quantized(kind: TensorType, rows: usize, cols: usize, values: &[f32]) -> Matrix {
        use candle_core::quantized::{GgmlDType, QTensor};
        let dtype = match kind {
            TensorType::Q4_0 => GgmlDType::Q4_0,
            TensorType::Q4_1 => GgmlDType::Q4_1,
            TensorType::Q8_0 => GgmlDType::Q8_0,
            _ => GgmlDType::Q4K,
        };
        let t = candle_core::Tensor::from_slice(values, (rows, cols), &candle_core::Device::Cpu)
            .unwrap();
        let q = QTensor::quantize(&t, dtype).unwrap();
        let kind = if dtype == GgmlDType::Q4K {
            TensorType(12)
        } else {
            kind
        };
        Matrix::from_bytes(kind, rows, cols, &q.data().unwrap()).unwrap()
    }

    fn reference(w: &Matrix, x: &[f32], m: usize) -> Vec<f32> {
        let mut row = vec![0f32; w.cols()];
        let mut out = vec![0f32; m * w.rows()];
        for r in 0..w.rows() {
            w.row(r, &mut row);
            for t in 0..m {
                out[t * w.rows() + r] = x[t * w.cols()..][..w.cols()]
                    .iter()
                    .zip(&row)
                    .map(|(a, b)| a * b)
                    .sum();
            }
        }
        out
    }

    #[test]
    fn block_kernels_match_dequantized_products() {
        let (rows, cols) = (37, 256);
        let w = random(rows * cols, 1);
        for kind in [
            TensorType::Q4_0,
            TensorType::Q4_1,
            TensorType::Q8_0,
            TensorType(12),
        ] {
            let m = quantized(kind, rows, cols, &w);
            for tokens in [1, 3, 9] {
                let x = random(tokens * cols, 7 + tokens as u64);
                let mut out = vec![0f32; tokens * rows];
                m.matmul(&x, tokens, &mut out);
                let want = reference(&m, &x, tokens);
                let rms = (want.iter().map(|v| v * v).sum::<f32>() / want.len() as f32).sqrt();
                for (got, want) in out.iter().zip(&want) {
                    // Activations are quantized to 8 bits: errors scale with the output's size.
                    assert!(
                        (got - want).abs() < 0.03 * rms,
                        "{}: {got} vs {want} (rms {rms})",
                        kind.name()
                    );
                }
            }
        }
    }

    #[test]
    fn scalar_and_simd_kernels_agree() {
        let (rows, cols) = (4, 128);
        let w = random(rows * cols, 3);
        for tokens in [1, 3, 5, TILE] {
            let x = random(tokens * cols, 4);
            let acts = quantize_tiles(&x, tokens, cols / QK);
            for kind in [TensorType::Q4_0, TensorType::Q4_1, TensorType::Q8_0] {
                let m = quantized(kind, rows, cols, &w);
                let wrow = &m.bytes()[..m.row_bytes()];
                let mut simd = [[0f32; TILE]];
                dot_rows(kind, wrow, &acts, tokens, &mut simd);
                let simd = simd[0];
                let scalar = dot_tile_scalar(kind, wrow, &acts, tokens);
                for (s, c) in simd.iter().zip(scalar).take(tokens) {
                    assert!((s - c).abs() < 1e-3, "{}: {s} vs {c}", kind.name());
                }
            }
        }
    }

    #[test]
    fn simd_quantization_matches_the_scalar_one() {
        let mut x = random(8 * QK, 9);
        x[5] = 0.0;
        x[40..72].fill(0.0); // an all-zero block
        x[100] = 3.5; // a large value, and exact ties below
        x[101] = 3.5 * 0.5 / 127.0;
        let blank = Q8Block {
            d: 0.0,
            s: 0.0,
            sum: 0,
            qs: [0; QK],
        };
        let mut a = vec![blank; 8];
        let mut b = vec![blank; 8];
        quantize_row(&x, &mut a);
        quantize_row_scalar(&x, &mut b);
        for (a, b) in a.iter().zip(&b) {
            assert_eq!(a.qs, b.qs);
            assert_eq!(a.d, b.d);
            assert!((a.s - b.s).abs() <= 1e-6 * a.s.abs().max(1.0));
        }
    }

    #[test]
    fn folded_products_are_the_products_in_order() {
        let (rows, cols, m) = (2 * FOLD_ROWS + 300, 64, 11);
        for kind in [TensorType::Q8_0, TensorType::Q4_1, TensorType::F32] {
            let w = if kind == TensorType::F32 {
                Matrix::from_f32(rows, cols, &random(rows * cols, 7))
            } else {
                quantized(kind, rows, cols, &random(rows * cols, 7))
            };
            let x = random(m * cols, 8);
            let mut want = vec![0f32; m * rows];
            w.matmul(&x, m, &mut want);
            let parts = w.fold_rows(&x, m, Vec::new, |seen, range, out| {
                let len = range.len();
                for (i, r) in range.enumerate() {
                    for t in 0..m {
                        seen.push((t, r, out[t * len + i]));
                    }
                }
            });
            assert_eq!(parts.len(), 3);
            for (p, seen) in parts.iter().enumerate() {
                assert!(seen.iter().all(|&(_, r, _)| r / FOLD_ROWS == p));
                assert!(seen.windows(2).all(|w| w[0].1 <= w[1].1), "rows in order");
                for &(t, r, v) in seen {
                    assert_eq!(v, want[t * rows + r], "{kind:?} row {r} of {t}");
                }
            }
            assert_eq!(parts.iter().map(Vec::len).sum::<usize>(), m * rows);
        }
    }

    #[cfg(target_arch = "x86_64")]
    #[test]
    fn vnni_and_avx2_kernels_agree() {
        if !has_vnni() {
            return;
        }
        let (rows, cols) = (2, 256);
        let w = random(rows * cols, 5);
        let x = random(TILE * cols, 6);
        for kind in [TensorType::Q4_0, TensorType::Q4_1, TensorType::Q8_0] {
            let m = quantized(kind, rows, cols, &w);
            let wrow = &m.bytes()[..m.row_bytes()];
            for tile in [1, 3, 6, TILE] {
                let acts = quantize_tiles(&x[..tile * cols], tile, cols / QK);
                // SAFETY: both feature sets were detected above.
                let (mut v, mut a2) = ([[0f32; TILE]], [[0f32; TILE]]);
                unsafe {
                    x86::dot_rows_vnni(kind, wrow, &acts, tile, &mut v);
                    x86::dot_rows(kind, wrow, &acts, tile, &mut a2);
                }
                let (v, a2) = (v[0], a2[0]);
                assert_eq!(v[..tile], a2[..tile], "{}", kind.name());
            }
        }
    }

    #[test]
    fn unsupported_types_are_named() {
        let err = Matrix::zeroed(TensorType(16), 4, 256)
            .err()
            .unwrap()
            .to_string();
        assert!(err.contains("IQ2_XXS"), "{err}");
    }

    #[test]
    fn half_precision_conversion() {
        let cases = [
            (0x0000, 0.0f32),
            (0x3c00, 1.0),
            (0xc100, -2.5),
            (0x7bff, 65504.0),
            (0x0400, 6.1035156e-5),
            (0x0001, 5.9604645e-8),
        ];
        for (bits, v) in cases {
            assert_eq!(f16_to_f32(bits), v);
        }
    }
}
