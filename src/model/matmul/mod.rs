//! Weight matrices in GGML block formats, and their products with f32
//! activations: `out[t][r] = Σ_c x[t][c] · W[r][c]`.
//!
//! This module keeps the tiling and the split into parts; the block formats
//! are in `quant`, the kernels per instruction set in `x86` (AVX2, AVX-512
//! VNNI) and `portable` (any CPU). Activations are quantized once per product
//! to 8-bit blocks, and each weight block meets a tile of up to eight
//! activation rows at once, so that prompt processing reads the weights once
//! per tile rather than once per token. Q4_0, Q4_1, Q5_0 and Q8_0 run on
//! kernels of their own, on rows repacked at load (`layout`), and a single
//! token on kernels of its own, on 512-bit registers where the CPU has
//! AVX-512 VNNI (`avx512`) and on 256-bit ones where it has AVX2 (`avx2`);
//! Q5_1, Q4_K, Q5_K and Q6_K rows are unpacked once per product into 8-bit
//! [`Sub`] blocks for one shared kernel, except where a single token meets
//! Q4_K and Q6_K, which have kernels of their own on the blocks as they are; dense f32, Q2_K
//! and Q3_K go through candle's CPU kernels on the same bytes. Rows of the
//! output are split over the model team's threads (`team`).

use std::ops::Range;

use super::quant::{CandleBlocks, Direct, Kernel, QK, Sub, TensorType, Unpacking};
use super::team;
use crate::error::{Error, Result};

#[cfg(target_arch = "x86_64")]
mod avx2;
#[cfg(target_arch = "x86_64")]
mod avx512;
mod layout;
mod portable;
#[cfg(target_arch = "x86_64")]
mod x86;

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

/// One activation row quantized for the single-token kernels (`avx512`,
/// `avx2`): each group of four blocks as the halves a 512-bit load of four
/// blocks' four-bit weights meets (a 256-bit load of two blocks meets the
/// first or the second half of those), each pair of blocks whole for 8-bit weights, and
/// the blocks' scales and offsets; all padded with zeros to whole groups of
/// sixteen blocks, so that the kernels read whole registers.
struct Single {
    blocks: usize,
    halves: Vec<Halves>,
    flat: Vec<Pair>,
    d: Vec<f32>,
    s: Vec<f32>,
}

/// Four blocks' values: the first 16 of each, then the last 16 of each.
#[derive(Clone, Copy)]
#[repr(C, align(64))]
struct Halves {
    lo: [i8; 64],
    hi: [i8; 64],
}

/// Two blocks' values, whole.
#[derive(Clone, Copy)]
#[repr(C, align(64))]
struct Pair([i8; 64]);

impl Single {
    fn quantize(x: &[f32]) -> Single {
        let blocks = x.len() / QK;
        let padded = blocks.next_multiple_of(16);
        let mut q = vec![
            Q8Block {
                d: 0.0,
                s: 0.0,
                sum: 0,
                qs: [0; QK],
            };
            padded
        ];
        quantize_row(x, &mut q[..blocks]);
        let mut halves = vec![
            Halves {
                lo: [0; 64],
                hi: [0; 64]
            };
            padded / 4
        ];
        for (h, four) in halves.iter_mut().zip(q.chunks_exact(4)) {
            for (i, b) in four.iter().enumerate() {
                h.lo[16 * i..16 * i + 16].copy_from_slice(&b.qs[..16]);
                h.hi[16 * i..16 * i + 16].copy_from_slice(&b.qs[16..]);
            }
        }
        let mut flat = vec![Pair([0; 64]); padded / 2];
        for (f, two) in flat.iter_mut().zip(q.chunks_exact(2)) {
            f.0[..QK].copy_from_slice(&two[0].qs);
            f.0[QK..].copy_from_slice(&two[1].qs);
        }
        Single {
            blocks,
            halves,
            flat,
            d: q.iter().map(|b| b.d).collect(),
            s: q.iter().map(|b| b.s).collect(),
        }
    }
}

/// The quantized activations of a product: a single row for the
/// single-token kernels where the CPU has them, and tiles for the other
/// kernels: quantized at once, except beside a single row, where they wait
/// for the first kernel that asks (a decode step whose matrices all have
/// single-token kernels never does).
struct Acts<'a> {
    x: &'a [f32],
    m: usize,
    blocks: usize,
    tiles: std::sync::OnceLock<Vec<Q8Tile>>,
    single: Option<Single>,
}

impl<'a> Acts<'a> {
    fn quantize(x: &'a [f32], m: usize, blocks: usize) -> Acts<'a> {
        let acts = Acts {
            x,
            m,
            blocks,
            tiles: std::sync::OnceLock::new(),
            single: (m == 1 && has_single_kernels()).then(|| Single::quantize(x)),
        };
        if acts.single.is_none() {
            // Now, before the workers start: several tiles are quantized
            // over the team, which a worker asking later could not use.
            acts.tiles();
        }
        acts
    }

    fn tiles(&self) -> &[Q8Tile] {
        self.tiles
            .get_or_init(|| quantize_tiles(self.x, self.m, self.blocks))
    }
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
        m.fill_ggml(|dst| {
            dst.copy_from_slice(bytes);
            Ok::<(), Error>(())
        })?;
        Ok(m)
    }

    /// A matrix of the right size for `kind`, to be filled through
    /// [`fill_ggml`](Self::fill_ggml).
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

    /// The matrix cut into consecutive blocks of `rows[i]` rows each: a
    /// fused projection into its parts.
    pub fn split_rows(&self, rows: &[usize]) -> Vec<Matrix> {
        assert_eq!(rows.iter().sum::<usize>(), self.rows, "row split");
        let rb = self.row_bytes();
        let mut start = 0;
        rows.iter()
            .map(|&n| {
                let mut part = Matrix::zeroed(self.kind, n, self.cols).expect("a computable kind");
                part.bytes_mut()
                    .copy_from_slice(&self.bytes()[start * rb..(start + n) * rb]);
                start += n;
                part
            })
            .collect()
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

    fn bytes_mut(&mut self) -> &mut [u8] {
        // SAFETY: as above, and we hold the only reference.
        unsafe { std::slice::from_raw_parts_mut(self.data.as_mut_ptr() as *mut u8, self.len) }
    }

    /// Fills the matrix with its bytes as GGML stores them (`fill` writes
    /// all of them), then repacks the rows of the formats with kernels of
    /// their own into the layout those kernels read (see `layout`), one row
    /// at a time in place.
    pub fn fill_ggml<E>(&mut self, fill: impl FnOnce(&mut [u8]) -> Result<(), E>) -> Result<(), E> {
        fill(self.bytes_mut())?;
        if let Some(Kernel::Direct(kind)) = self.kind.kernel() {
            let rb = self.row_bytes();
            let mut ggml = vec![0u8; rb];
            for row in self.bytes_mut().chunks_exact_mut(rb) {
                ggml.copy_from_slice(row);
                layout::split(kind, &ggml, row);
            }
        }
        Ok(())
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
        let out = &mut out[..self.cols];
        let row = &self.bytes()[r * rb..(r + 1) * rb];
        if let Some(Kernel::Direct(kind)) = self.kind.kernel() {
            let mut ggml = vec![0u8; rb];
            layout::join(kind, row, &mut ggml);
            self.kind.dequantize(&ggml, out);
        } else {
            self.kind.dequantize(row, out);
        }
    }

    fn matmul_q8(&self, x: &[f32], m: usize, out: &mut [f32]) {
        matmul_q8_group(&[self], x, m, &mut [out]);
    }

    /// Whether products run on the 8-bit activation kernels.
    fn has_q8_kernels(&self) -> bool {
        matches!(
            self.kind.kernel(),
            Some(Kernel::Direct(_) | Kernel::Unpacked(_))
        )
    }

    /// Writes `x · W[r]` to `dst[t * rows + r]` for `r` in `rows`, a few
    /// weight rows at a time against every tile (the rows stay in cache and
    /// their sums on the stack).
    fn product_rows(&self, acts: &Acts, m: usize, rows: Range<usize>, dst: &SharedOut) {
        self.product_rows_into(acts, m, rows, dst, self.rows, 0);
    }

    /// [`Matrix::product_rows`] writing `x_t · W[r]` to `dst[t * stride + r -
    /// first]`.
    fn product_rows_into(
        &self,
        acts: &Acts,
        m: usize,
        rows: Range<usize>,
        dst: &SharedOut,
        stride: usize,
        first: usize,
    ) {
        let blocks = self.cols / QK;
        let rb = self.row_bytes();
        let (direct, unpacking) = match self.kind.kernel() {
            Some(Kernel::Direct(d)) => (Some(d), None),
            Some(Kernel::Unpacked(u)) => (None, Some(u)),
            Some(Kernel::Candle) | None => unreachable!("products on the 8-bit kernels only"),
        };
        // A single activation row meets every format with single-token
        // kernels there; the others are unpacked.
        let single = acts
            .single
            .as_ref()
            .filter(|_| direct.is_some() || KQuant::of(self.kind).is_some());
        let mut subs = vec![
            Sub::ZERO;
            if unpacking.is_some() && single.is_none() {
                ROWS * blocks
            } else {
                0
            }
        ];
        let mut sums = [[0f32; TILE]; ROWS];
        for start in rows.clone().step_by(ROWS) {
            let end = (start + ROWS).min(rows.end);
            let w = &self.bytes()[start * rb..end * rb];
            let sums = &mut sums[..end - start];
            if let Some(single) = single {
                let mut out = [0f32; ROWS];
                match (direct, KQuant::of(self.kind)) {
                    (Some(d), _) => dot_rows_single(d, w, single, &mut out[..end - start]),
                    (_, Some(k)) => dot_rows_single_k(k, w, single, &mut out[..end - start]),
                    (None, None) => unreachable!("filtered above"),
                }
                for (r, v) in (start..end).zip(out) {
                    // SAFETY: as below, for the one activation row.
                    unsafe { *dst.0.add(r - first) = v };
                }
                continue;
            }
            if let Some(u) = unpacking {
                unpack_rows(u, w, &mut subs[..(end - start) * blocks]);
            }
            for (tile_index, a) in acts.tiles().chunks(blocks).enumerate() {
                let t0 = tile_index * TILE;
                let tile = (m - t0).min(TILE);
                match (direct, unpacking) {
                    (Some(d), _) => dot_rows(d, w, a, tile, sums),
                    (_, Some(u)) => dot_rows_unpacked(u.signed, &subs, a, tile, sums),
                    (None, None) => unreachable!("one kernel or the other"),
                }
                for i in 0..tile {
                    for (r, s) in (start..end).zip(sums.iter()) {
                        // SAFETY: each (t, r) is written by exactly one
                        // worker, inside the `m × rows` output (the caller
                        // checked the output's length).
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
        let acts = Acts::quantize(x, m, self.cols / QK);
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
        CandleBlocks::new(self.kind, self.bytes()).matmul(dims, x, out);
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
    let acts = Acts::quantize(x, m, mats[0].cols / QK);
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
    match (kind.kernel(), kind.block()) {
        (Some(_), Some(b)) => Ok(b),
        _ => Err(Error::Other(format!(
            "unsupported quantization type {} (supported: F32, F16, BF16, Q4_0, Q4_1, Q5_0, Q5_1, Q8_0, Q2_K, Q3_K, Q4_K, Q5_K, Q6_K)",
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

/// Unpacks consecutive weight rows (`w`, whole blocks) into `subs`.
fn unpack_rows(u: Unpacking, w: &[u8], subs: &mut [Sub]) {
    let per_block = u.elements / QK;
    for (block, out) in w
        .chunks_exact(u.bytes)
        .zip(subs.chunks_exact_mut(per_block))
    {
        (u.unpack)(block, out);
    }
}

fn quantize_row(x: &[f32], out: &mut [Q8Block]) {
    #[cfg(target_arch = "x86_64")]
    if has_avx2() {
        // SAFETY: the CPU supports AVX2 (checked at runtime).
        return unsafe { x86::quantize_row(x, out) };
    }
    portable::quantize_row(x, out)
}

/// Dot products of consecutive weight rows (`w`, one row per element of
/// `sums`) with a tile of `tile` activation rows: `sums[r][t]` is row `r`
/// against activation row `t`.
fn dot_rows(kind: Direct, w: &[u8], a: &[Q8Tile], tile: usize, sums: &mut [[f32; TILE]]) {
    #[cfg(target_arch = "x86_64")]
    if has_vnni() {
        // SAFETY: the CPU supports AVX2, FMA, F16C and AVX-512 VNNI on
        // 256-bit registers (checked at run time).
        return unsafe { x86::dot_rows_vnni(kind, w, a, tile, sums) };
    }
    #[cfg(target_arch = "x86_64")]
    if has_avx2() {
        // SAFETY: the CPU supports AVX2, FMA and F16C (checked at run
        // time).
        return unsafe { x86::dot_rows(kind, w, a, tile, sums) };
    }
    assert_tile_shapes(kind, w, a, tile, sums);
    let row_bytes = w.len() / sums.len().max(1);
    for (row, out) in w.chunks_exact(row_bytes).zip(sums.iter_mut()) {
        *out = portable::dot_tile(kind, row, a, tile);
    }
}

/// Panics unless `w` holds `sums.len()` rows of `a.len()` blocks of
/// `kind` and `tile` is a tile's number of rows: what the x86 tile
/// kernels read without further checks.
fn assert_tile_shapes(kind: Direct, w: &[u8], a: &[Q8Tile], tile: usize, sums: &[[f32; TILE]]) {
    assert_eq!(
        w.len(),
        sums.len() * a.len() * kind.block_bytes(),
        "weight rows"
    );
    assert!((1..=TILE).contains(&tile), "tile rows");
}

/// Dot products of consecutive repacked weight rows (`w`, one row per
/// element of `out`) with one activation row, on the single-token kernels
/// (only built where [`has_single_kernels`]).
fn dot_rows_single(kind: Direct, w: &[u8], a: &Single, out: &mut [f32]) {
    #[cfg(target_arch = "x86_64")]
    if has_vnni() {
        // SAFETY: the CPU supports AVX-512 F, BW, VL and VNNI, AVX2, FMA
        // and F16C (checked at run time).
        return unsafe { avx512::dot_rows_single(kind, w, a, out) };
    }
    #[cfg(target_arch = "x86_64")]
    if has_avx2() {
        // SAFETY: the CPU supports AVX2, FMA and F16C (checked at run
        // time).
        return unsafe { avx2::dot_rows_single(kind, w, a, out) };
    }
    // No kernel here reads single-token activations, which are made only
    // where one does: a shape error would still be named first.
    a.assert_shapes(kind, w, out);
    unreachable!("single-token activations are made only for the kernels that read them")
}

impl Single {
    /// Panics unless `w` holds `out.len()` repacked rows of `self.blocks`
    /// blocks of `kind` and the activations whole groups of sixteen
    /// blocks: what the single-token kernels read without further checks.
    fn assert_shapes(&self, kind: Direct, w: &[u8], out: &[f32]) {
        assert_eq!(
            w.len(),
            out.len() * self.blocks * kind.block_bytes(),
            "weight rows"
        );
        let padded = self.blocks.next_multiple_of(16);
        assert!(
            self.d.len() == padded && self.s.len() == padded,
            "activation scales"
        );
        assert!(
            self.halves.len() * 4 == padded && self.flat.len() * 2 == padded,
            "activation values"
        );
    }

    /// Panics unless `w` holds `out.len()` GGML rows of `self.blocks / 8`
    /// super-blocks of `kind`, eight activation blocks for each: what the
    /// K-quant single-token kernels read without further checks.
    fn assert_k_shapes(&self, kind: KQuant, w: &[u8], out: &[f32]) {
        assert!(self.blocks.is_multiple_of(8), "whole super-blocks");
        assert_eq!(
            w.len(),
            out.len() * self.blocks / 8 * kind.block_bytes(),
            "weight rows"
        );
        assert!(
            self.d.len() >= self.blocks
                && self.s.len() >= self.blocks
                && self.flat.len() * 2 >= self.blocks,
            "activations"
        );
    }
}

/// The K-quant formats with single-token kernels, on their blocks as the
/// file holds them (`avx2`, on CPUs with AVX-512 VNNI too).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum KQuant {
    Q4K,
    Q6K,
}

impl KQuant {
    fn of(kind: TensorType) -> Option<KQuant> {
        match kind {
            TensorType::Q4K => Some(KQuant::Q4K),
            TensorType::Q6K => Some(KQuant::Q6K),
            _ => None,
        }
    }

    /// Bytes of a super-block of 256 values.
    const fn block_bytes(self) -> usize {
        match self {
            KQuant::Q4K => 144,
            KQuant::Q6K => 210,
        }
    }
}

/// [`dot_rows_single`] for K-quant rows (`w`, whole GGML rows of
/// `a.blocks / 8` super-blocks, one row per element of `out`).
fn dot_rows_single_k(kind: KQuant, w: &[u8], a: &Single, out: &mut [f32]) {
    #[cfg(target_arch = "x86_64")]
    if has_avx2() {
        // SAFETY: the CPU supports AVX2, FMA and F16C (checked at run
        // time).
        return unsafe { avx2::dot_rows_single_k(kind, w, a, out) };
    }
    // As in `dot_rows_single`.
    a.assert_k_shapes(kind, w, out);
    unreachable!("single-token activations are made only for the kernels that read them")
}

/// [`dot_rows`] for rows unpacked to sub-blocks (`a.len()` per row).
fn dot_rows_unpacked(signed: bool, w: &[Sub], a: &[Q8Tile], tile: usize, sums: &mut [[f32; TILE]]) {
    let w = &w[..sums.len() * a.len()];
    assert!((1..=TILE).contains(&tile), "tile rows");
    #[cfg(target_arch = "x86_64")]
    if has_vnni() {
        // SAFETY: the CPU supports AVX2, FMA and AVX-512 VNNI on 256-bit
        // registers (checked at runtime); `w` holds `a.len()` sub-blocks per
        // row of `sums` (sliced above).
        return unsafe { x86::dot_rows_unpacked_vnni(signed, w, a, tile, sums) };
    }
    #[cfg(target_arch = "x86_64")]
    if has_avx2() {
        // SAFETY: as above, for AVX2 and FMA.
        return unsafe { x86::dot_rows_unpacked(signed, w, a, tile, sums) };
    }
    portable::dot_rows_unpacked(signed, w, a, tile, sums)
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

/// Whether single-token kernels (on 512-bit registers, or on 256-bit ones
/// for CPUs without AVX-512 VNNI) can run.
fn has_single_kernels() -> bool {
    #[cfg(target_arch = "x86_64")]
    {
        has_vnni() || has_avx2()
    }
    #[cfg(not(target_arch = "x86_64"))]
    {
        false
    }
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::tests::random;

    /// Quantizes a dense matrix with candle's reference quantizers.
    fn quantized(kind: TensorType, rows: usize, cols: usize, values: &[f32]) -> Matrix {
        use candle_core::quantized::{GgmlDType, QTensor};
        let dtype = match kind {
            TensorType::Q4_0 => GgmlDType::Q4_0,
            TensorType::Q4_1 => GgmlDType::Q4_1,
            TensorType::Q5_0 => GgmlDType::Q5_0,
            TensorType::Q5_1 => GgmlDType::Q5_1,
            TensorType::Q8_0 => GgmlDType::Q8_0,
            TensorType::Q2K => GgmlDType::Q2K,
            TensorType::Q3K => GgmlDType::Q3K,
            TensorType::Q4K => GgmlDType::Q4K,
            TensorType::Q5K => GgmlDType::Q5K,
            TensorType::Q6K => GgmlDType::Q6K,
            other => panic!("no quantizer for {}", other.name()),
        };
        let t = candle_core::Tensor::from_slice(values, (rows, cols), &candle_core::Device::Cpu)
            .unwrap();
        let q = QTensor::quantize(&t, dtype).unwrap();
        Matrix::from_bytes(kind, rows, cols, &q.data().unwrap()).unwrap()
    }

    /// Every type with 8-bit activation kernels.
    const INTEGER_KERNELS: [TensorType; 8] = [
        TensorType::Q4_0,
        TensorType::Q4_1,
        TensorType::Q5_0,
        TensorType::Q5_1,
        TensorType::Q8_0,
        TensorType::Q4K,
        TensorType::Q5K,
        TensorType::Q6K,
    ];

    fn direct(kind: TensorType) -> Direct {
        match kind.kernel() {
            Some(Kernel::Direct(d)) => d,
            other => panic!("{} has kernel {other:?}", kind.name()),
        }
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
        let all = INTEGER_KERNELS
            .iter()
            .chain(&[TensorType::Q2K, TensorType::Q3K]);
        for &kind in all {
            let m = quantized(kind, rows, cols, &w);
            for tokens in [1, 3, 8, 9] {
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
            for kind in [
                TensorType::Q4_0,
                TensorType::Q4_1,
                TensorType::Q5_0,
                TensorType::Q8_0,
            ] {
                let m = quantized(kind, rows, cols, &w);
                let wrow = &m.bytes()[..m.row_bytes()];
                let mut simd = [[0f32; TILE]];
                dot_rows(direct(kind), wrow, &acts, tokens, &mut simd);
                let simd = simd[0];
                let scalar = portable::dot_tile(direct(kind), wrow, &acts, tokens);
                for (s, c) in simd.iter().zip(scalar).take(tokens) {
                    assert!((s - c).abs() < 1e-3, "{}: {s} vs {c}", kind.name());
                }
            }
        }
    }

    #[test]
    fn scalar_and_simd_unpacked_kernels_agree() {
        let (rows, cols) = (3, 512);
        let w = random(rows * cols, 13);
        for kind in INTEGER_KERNELS {
            let Some(Kernel::Unpacked(u)) = kind.kernel() else {
                continue;
            };
            let m = quantized(kind, rows, cols, &w);
            let mut subs = vec![Sub::ZERO; rows * cols / QK];
            unpack_rows(u, m.bytes(), &mut subs);
            for tokens in [1, 2, 5, TILE] {
                let x = random(tokens * cols, 14);
                let acts = quantize_tiles(&x, tokens, cols / QK);
                let mut simd = [[0f32; TILE]; 3];
                dot_rows_unpacked(u.signed, &subs, &acts, tokens, &mut simd);
                for (r, simd) in simd.iter().enumerate() {
                    let row = &subs[r * cols / QK..(r + 1) * cols / QK];
                    let scalar = portable::dot_unpacked(u.signed, row, &acts, tokens);
                    for (s, c) in simd.iter().zip(scalar).take(tokens) {
                        assert!((s - c).abs() < 1e-3, "{}: {s} vs {c}", kind.name());
                    }
                }
            }
        }
    }

    /// Each single-token kernel this CPU can run, by name, on five rows.
    fn single_kernels(kind: Direct, w: &[u8], a: &Single) -> Vec<(&'static str, [f32; 5])> {
        let mut all = Vec::new();
        #[cfg(target_arch = "x86_64")]
        {
            if has_vnni() {
                let mut out = [0f32; 5];
                // SAFETY: the features were detected; five whole rows.
                unsafe { avx512::dot_rows_single(kind, w, a, &mut out) };
                all.push(("avx512", out));
            }
            if has_avx2() {
                let mut out = [0f32; 5];
                // SAFETY: as above.
                unsafe { avx2::dot_rows_single(kind, w, a, &mut out) };
                all.push(("avx2", out));
            }
        }
        let mut out = [0f32; 5];
        dot_rows_single(kind, w, a, &mut out);
        all.push(("dispatched", out));
        all
    }

    #[test]
    fn single_token_kernels_match_the_tile_kernels() {
        if !has_single_kernels() {
            return;
        }
        // Block counts below, at and past whole groups of two, four, eight
        // and sixteen, so that every tail of either kernel is met.
        for blocks in [1, 2, 3, 4, 5, 7, 8, 9, 16, 18, 20, 33, 48] {
            let (rows, cols) = (5, blocks * QK);
            let w = random(rows * cols, 21 + blocks as u64);
            let x = random(cols, 22 + blocks as u64);
            let acts = Acts::quantize(&x, 1, blocks);
            let single = acts.single.as_ref().expect("single-token activations");
            for kind in [
                TensorType::Q4_0,
                TensorType::Q4_1,
                TensorType::Q5_0,
                TensorType::Q8_0,
            ] {
                let m = quantized(kind, rows, cols, &w);
                for (name, got) in single_kernels(direct(kind), m.bytes(), single) {
                    for (r, got) in got.iter().enumerate() {
                        let row = &m.bytes()[r * m.row_bytes()..(r + 1) * m.row_bytes()];
                        let want = portable::dot_tile(direct(kind), row, acts.tiles(), 1)[0];
                        assert!(
                            (got - want).abs() <= 1e-4 * want.abs().max(1.0),
                            "{name}, {} with {blocks} blocks, row {r}: {got} vs {want}",
                            kind.name()
                        );
                    }
                }
            }
        }
    }

    #[test]
    fn single_token_k_quant_kernels_match_the_unpacked_kernels() {
        if !has_single_kernels() {
            return;
        }
        for supers in [1, 2, 3] {
            let (rows, cols) = (5, supers * 256);
            let blocks = cols / QK;
            let w = random(rows * cols, 31 + supers as u64);
            let x = random(cols, 32 + supers as u64);
            let acts = Acts::quantize(&x, 1, blocks);
            let single = acts.single.as_ref().expect("single-token activations");
            for kind in [TensorType::Q4K, TensorType::Q6K] {
                let (Some(k), Some(Kernel::Unpacked(u))) = (KQuant::of(kind), kind.kernel()) else {
                    panic!("{} has single-token and unpacked kernels", kind.name());
                };
                let m = quantized(kind, rows, cols, &w);
                let mut got = [0f32; 5];
                dot_rows_single_k(k, m.bytes(), single, &mut got);
                let mut subs = vec![Sub::ZERO; rows * blocks];
                unpack_rows(u, m.bytes(), &mut subs);
                for (r, got) in got.iter().enumerate() {
                    let row = &subs[r * blocks..(r + 1) * blocks];
                    let want = portable::dot_unpacked(u.signed, row, acts.tiles(), 1)[0];
                    assert!(
                        (got - want).abs() <= 1e-4 * want.abs().max(1.0),
                        "{} with {supers} super-blocks, row {r}: {got} vs {want}",
                        kind.name()
                    );
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
        portable::quantize_row(&x, &mut b);
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
        for kind in [
            TensorType::Q4_0,
            TensorType::Q4_1,
            TensorType::Q5_0,
            TensorType::Q8_0,
        ] {
            let m = quantized(kind, rows, cols, &w);
            let wrow = &m.bytes()[..m.row_bytes()];
            for tile in [1, 3, 6, TILE] {
                let acts = quantize_tiles(&x[..tile * cols], tile, cols / QK);
                let (mut v, mut a2) = ([[0f32; TILE]], [[0f32; TILE]]);
                // SAFETY: both feature sets were detected above.
                unsafe {
                    x86::dot_rows_vnni(direct(kind), wrow, &acts, tile, &mut v);
                    x86::dot_rows(direct(kind), wrow, &acts, tile, &mut a2);
                }
                let (v, a2) = (v[0], a2[0]);
                assert_eq!(v[..tile], a2[..tile], "{}", kind.name());
            }
        }
    }

    #[test]
    fn unsupported_types_are_named() {
        let err = Matrix::zeroed(TensorType::from_id(16), 4, 256)
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
            assert_eq!(crate::model::quant::f16_to_f32(bits), v);
        }
    }
}
