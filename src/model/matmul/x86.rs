//! The x86-64 kernels: AVX2 (with FMA and F16C) and AVX-512 VNNI on
//! 256- and 512-bit registers, chosen at run time by the caller.
//!
//! The entry points (`dot_rows`, `dot_rows_vnni`, `dot_rows_unpacked`,
//! `dot_rows_unpacked_vnni`, `quantize_row`) are safe `#[target_feature]`
//! functions: calling one is `unsafe` only for the CPU check, and each
//! asserts the shapes its kernels read. Below them, the row kernels and
//! their steps are `#[inline(always)] unsafe fn`s (the language does not
//! let always-inlined functions carry target features, and the tile
//! kernels serve two instruction sets through [`Dot4`]); their contract,
//! the same for all of them, is the entry point's: they run inside an entry
//! point whose features include theirs, on the blocks and tiles that entry
//! point asserted, and so read them without bounds checks.

// The helpers' contract above covers every operation in their bodies.
#![allow(unsafe_op_in_unsafe_fn)]

use std::arch::x86_64::*;

use super::{Direct, Q8Block, Q8Tile, QK, Sub, TILE, assert_tile_shapes, group_slot, layout};
use crate::model::simd::{f32x8, hsum};

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

/// Dot products of consecutive repacked weight rows (`w`, one row per
/// element of `sums`) with a tile of `tile` activation rows, on AVX2.
#[target_feature(enable = "avx2,fma,f16c")]
pub(super) fn dot_rows(
    kind: Direct,
    w: &[u8],
    a: &[Q8Tile],
    tile: usize,
    sums: &mut [[f32; TILE]],
) {
    assert_tile_shapes(kind, w, a, tile, sums);
    // SAFETY: AVX2, FMA and F16C are enabled here, and the rows and tiles
    // the kernels read are asserted above.
    unsafe { dispatch::<Avx2>(kind, w, a, tile, sums) }
}

/// [`dot_rows`] on AVX-512 VNNI.
#[target_feature(enable = "avx2,fma,f16c,avx512f,avx512bw,avx512vnni,avx512vl")]
pub(super) fn dot_rows_vnni(
    kind: Direct,
    w: &[u8],
    a: &[Q8Tile],
    tile: usize,
    sums: &mut [[f32; TILE]],
) {
    assert_tile_shapes(kind, w, a, tile, sums);
    // SAFETY: AVX2, FMA, F16C and AVX-512 VNNI are enabled here, and the
    // rows and tiles the kernels read are asserted above.
    unsafe { dispatch::<Vnni>(kind, w, a, tile, sums) }
}

/// Picks the kernel once for all the rows of `w`.
#[inline(always)]
unsafe fn dispatch<D: Dot4>(
    kind: Direct,
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
        (Direct::Q8_0, TILE) => each_row!(q8_0_full::<D>),
        (Direct::Q4_1, TILE) => each_row!(small_full::<D, Q4_1>),
        (Direct::Q4_0, TILE) => each_row!(small_full::<D, Q4_0>),
        (Direct::Q5_0, TILE) => each_row!(small_full::<D, Q5_0>),
        (Direct::Q8_0, 1) => each_row!(q8_0::<D, 1>),
        (Direct::Q8_0, 2..=4) => each_row!(q8_0::<D, 4>),
        (Direct::Q8_0, _) => each_row!(q8_0::<D, TILE>),
        (Direct::Q4_1, 1) => each_row!(small_rows::<D, 1, Q4_1>),
        (Direct::Q4_1, 2..=4) => each_row!(small_rows::<D, 4, Q4_1>),
        (Direct::Q4_1, _) => each_row!(small_rows::<D, TILE, Q4_1>),
        (Direct::Q4_0, 1) => each_row!(small_rows::<D, 1, Q4_0>),
        (Direct::Q4_0, 2..=4) => each_row!(small_rows::<D, 4, Q4_0>),
        (Direct::Q4_0, _) => each_row!(small_rows::<D, TILE, Q4_0>),
        (Direct::Q5_0, 1) => each_row!(small_rows::<D, 1, Q5_0>),
        (Direct::Q5_0, 2..=4) => each_row!(small_rows::<D, 4, Q5_0>),
        (Direct::Q5_0, _) => each_row!(small_rows::<D, TILE, Q5_0>),
    }
}

/// Dot products of rows unpacked to sub-blocks (`a.len()` per row, one
/// row per element of `sums`) with a tile of `tile` activation rows, on
/// AVX2.
#[target_feature(enable = "avx2,fma,f16c")]
pub(super) fn dot_rows_unpacked(
    signed: bool,
    w: &[Sub],
    a: &[Q8Tile],
    tile: usize,
    sums: &mut [[f32; TILE]],
) {
    // SAFETY: AVX2, FMA and F16C are enabled here; the kernels read whole
    // sub-blocks and tiles, paired by iterators.
    unsafe { dispatch_unpacked::<Avx2>(signed, w, a, tile, sums) }
}

/// [`dot_rows_unpacked`] on AVX-512 VNNI.
#[target_feature(enable = "avx2,fma,f16c,avx512f,avx512bw,avx512vnni,avx512vl")]
pub(super) fn dot_rows_unpacked_vnni(
    signed: bool,
    w: &[Sub],
    a: &[Q8Tile],
    tile: usize,
    sums: &mut [[f32; TILE]],
) {
    // SAFETY: AVX2, FMA, F16C and AVX-512 VNNI are enabled here; the
    // kernels read whole sub-blocks and tiles, paired by iterators.
    unsafe { dispatch_unpacked::<Vnni>(signed, w, a, tile, sums) }
}

/// Picks the unpacked kernel once for all the rows of `w` (`a.len()`
/// sub-blocks each).
#[inline(always)]
unsafe fn dispatch_unpacked<D: Dot4>(
    signed: bool,
    w: &[Sub],
    a: &[Q8Tile],
    tile: usize,
    sums: &mut [[f32; TILE]],
) {
    macro_rules! each_row {
        ($kernel:expr) => {
            for (row, out) in w.chunks_exact(a.len()).zip(sums.iter_mut()) {
                *out = $kernel(row, a);
            }
        };
    }
    match (signed, tile) {
        (false, TILE) => each_row!(unpacked_full::<D, false>),
        (true, TILE) => each_row!(unpacked_full::<D, true>),
        (false, 1) => each_row!(unpacked::<D, 1, false>),
        (false, 2..=4) => each_row!(unpacked::<D, 4, false>),
        (false, _) => each_row!(unpacked::<D, TILE, false>),
        (true, 1) => each_row!(unpacked::<D, 1, true>),
        (true, 2..=4) => each_row!(unpacked::<D, 4, true>),
        (true, _) => each_row!(unpacked::<D, TILE, true>),
    }
}

/// The scales of a sub-block's halves over the lanes of a 4-way dot
/// product: lanes 0..4 cover columns 0..16, lanes 4..8 columns 16..32.
#[inline(always)]
unsafe fn half_scales(sub: &Sub) -> __m256 {
    _mm256_setr_m128(_mm_set1_ps(sub.scale[0]), _mm_set1_ps(sub.scale[1]))
}

/// Unpacked sub-blocks against the first `R` rows of partial tiles (each
/// row whole in `qs[r]`).
#[inline(always)]
unsafe fn unpacked<D: Dot4, const R: usize, const SIGNED: bool>(
    w: &[Sub],
    a: &[Q8Tile],
) -> [f32; TILE] {
    let mut acc = [_mm256_setzero_ps(); R];
    let mut offsets = _mm256_setzero_ps();
    for (sub, ab) in w.iter().zip(a) {
        let q = _mm256_loadu_si256(sub.q.as_ptr() as *const __m256i);
        let qa = if SIGNED { _mm256_sign_epi8(q, q) } else { q };
        let scales = half_scales(sub);
        offsets = _mm256_fmadd_ps(
            _mm256_set1_ps(sub.min),
            _mm256_load_ps(ab.s.as_ptr()),
            offsets,
        );
        for ((acc, qs), d) in acc.iter_mut().zip(&ab.qs).zip(ab.d) {
            let y = _mm256_load_si256(qs.as_ptr() as *const __m256i);
            let y = if SIGNED { _mm256_sign_epi8(y, q) } else { y };
            let prod = D::dot(qa, y);
            let scale = _mm256_mul_ps(scales, _mm256_set1_ps(d));
            *acc = _mm256_fmadd_ps(scale, _mm256_cvtepi32_ps(prod), *acc);
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

/// Unpacked sub-blocks against full tiles: the dots of each half of the
/// columns, lanes being the tile's rows (see [`full_tile_dots`]).
#[inline(always)]
unsafe fn unpacked_full<D: Dot4, const SIGNED: bool>(w: &[Sub], a: &[Q8Tile]) -> [f32; TILE] {
    let mut acc = _mm256_setzero_ps();
    let mut offsets = _mm256_setzero_ps();
    for (sub, ab) in w.iter().zip(a) {
        let q = _mm256_loadu_si256(sub.q.as_ptr() as *const __m256i);
        let (lo, hi) = full_tile_halves::<D, SIGNED>(q, ab);
        let d = _mm256_load_ps(ab.d.as_ptr());
        offsets = _mm256_fmadd_ps(
            _mm256_set1_ps(sub.min),
            _mm256_load_ps(ab.s.as_ptr()),
            offsets,
        );
        let lo_scale = _mm256_mul_ps(_mm256_set1_ps(sub.scale[0]), d);
        let hi_scale = _mm256_mul_ps(_mm256_set1_ps(sub.scale[1]), d);
        acc = _mm256_fmadd_ps(lo_scale, _mm256_cvtepi32_ps(lo), acc);
        acc = _mm256_fmadd_ps(hi_scale, _mm256_cvtepi32_ps(hi), acc);
    }
    let mut out = [0f32; TILE];
    _mm256_storeu_ps(out.as_mut_ptr(), _mm256_add_ps(acc, offsets));
    out
}

/// [`full_tile_dots`] keeping columns 0..16 and 16..32 apart.
#[inline(always)]
unsafe fn full_tile_halves<D: Dot4, const SIGNED: bool>(
    q: __m256i,
    ab: &Q8Tile,
) -> (__m256i, __m256i) {
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
        acc[g % 2 + 2 * (g / 4)] = product(acc[g % 2 + 2 * (g / 4)], g);
    }
    (
        _mm256_add_epi32(acc[0], acc[1]),
        _mm256_add_epi32(acc[2], acc[3]),
    )
}

/// 8-bit quantization of activation blocks, rounding to nearest even.
#[target_feature(enable = "avx2,fma")]
pub(super) fn quantize_row(x: &[f32], out: &mut [Q8Block]) {
    let abs_mask = _mm256_set1_ps(f32::from_bits(0x7fff_ffff));
    for (xs, block) in x.chunks_exact(QK).zip(out.iter_mut()) {
        let v: [__m256; 4] = std::array::from_fn(|i| f32x8(xs, 8 * i));
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
        let bytes = _mm256_permutevar8x32_epi32(bytes, _mm256_setr_epi32(0, 4, 1, 5, 2, 6, 3, 7));
        // SAFETY: `block.qs` is QK = 32 bytes long.
        unsafe { _mm256_storeu_si256(block.qs.as_mut_ptr() as *mut __m256i, bytes) };
        block.d = d;
        let sum = _mm_cvtsi128_si32(sum);
        block.s = d * sum as f32;
        block.sum = sum;
    }
}

/// How many rows ahead of the one computed the single-token kernels
/// (`avx2`, `avx512`) prefetch the weights: the hardware prefetchers alone
/// leave a decode step waiting on memory.
const AHEAD: usize = 6;

/// Asks for the cache lines of row `r + AHEAD` of `w` (rows of `row_bytes`;
/// those lines inside `w`).
#[inline(always)]
pub(super) fn prefetch_ahead(w: &[u8], r: usize, row_bytes: usize) {
    let at = (r + AHEAD) * row_bytes;
    let end = (at + row_bytes).min(w.len());
    let mut line = at;
    while line < end {
        // SAFETY: SSE is part of every x86-64 CPU, and a prefetch is a
        // hint that never faults, whatever the address.
        unsafe { _mm_prefetch::<_MM_HINT_T0>(w.as_ptr().wrapping_add(line) as *const i8) };
        line += 64;
    }
}

/// `out[r]` is row `r` of `w` (whole rows of `row_bytes`) against the
/// activations `a`, by `kernel` (an inlined row kernel of the calling
/// function's instruction set), each row's successors asked for ahead.
macro_rules! each_row {
    ($w:expr, $row_bytes:expr, $a:expr, $out:expr, $kernel:expr) => {
        for (r, (row, o)) in $w.chunks_exact($row_bytes).zip($out.iter_mut()).enumerate() {
            super::x86::prefetch_ahead($w, r, $row_bytes);
            *o = $kernel(row, $a);
        }
    };
}
pub(super) use each_row;

/// Where a repacked row of `blocks` blocks keeps its values, scales and
/// the rest of its headers (see `layout`).
#[derive(Clone, Copy)]
struct Parts {
    values: *const u8,
    d: *const u16,
    extra: *const u8,
}

impl Parts {
    #[inline(always)]
    unsafe fn new(w: &[u8], kind: Direct, blocks: usize) -> Parts {
        let (values, d, extra) = layout::parts(kind, blocks);
        let p = w.as_ptr();
        Parts {
            values: p.add(values),
            d: p.add(d) as *const u16,
            extra: p.add(extra),
        }
    }

    /// The scale of block `b`, broadcast.
    #[inline(always)]
    unsafe fn d(&self, b: usize) -> __m256 {
        let d = std::ptr::read_unaligned(self.d.add(b));
        _mm256_broadcastss_ps(_mm_cvtph_ps(_mm_cvtsi32_si128(d as i32)))
    }
}

/// The four- and five-bit formats, as const parameters of their kernels.
pub(super) const Q4_0: u8 = 0;
pub(super) const Q4_1: u8 = 1;
pub(super) const Q5_0: u8 = 2;

pub(super) const fn small(k: u8) -> Direct {
    match k {
        Q4_0 => Direct::Q4_0,
        Q4_1 => Direct::Q4_1,
        _ => Direct::Q5_0,
    }
}

/// The scale and offset of block `b` of a four- or five-bit format,
/// broadcast: Q4_1's minimum, or the offset of the unsigned values of Q4_0
/// (`-8 d`) and Q5_0 (`-16 d`).
#[inline(always)]
unsafe fn small_scales<const K: u8>(w: &Parts, b: usize) -> (__m256, __m256) {
    let d = w.d(b);
    let min = match K {
        Q4_1 => {
            let m = std::ptr::read_unaligned(w.extra.add(2 * b) as *const u16);
            _mm256_broadcastss_ps(_mm_cvtph_ps(_mm_cvtsi32_si128(m as i32)))
        }
        Q4_0 => _mm256_mul_ps(d, _mm256_set1_ps(-8.0)),
        _ => _mm256_mul_ps(d, _mm256_set1_ps(-16.0)),
    };
    (d, min)
}

/// The 32 values of block `b` of a four- or five-bit format as unsigned
/// bytes in column order.
#[inline(always)]
unsafe fn small_values<const K: u8>(w: &Parts, b: usize) -> __m256i {
    let q = q4_values(w.values.add(16 * b));
    if K != Q5_0 {
        return q;
    }
    // Bit `c` of the mask to byte `c`: each 128-bit lane picks its two
    // bytes of the mask, each byte tests its own bit.
    let high = std::ptr::read_unaligned(w.extra.add(4 * b) as *const i32);
    let spread = _mm256_shuffle_epi8(
        _mm256_set1_epi32(high),
        _mm256_setr_epi8(
            0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 1, 1, 1, 2, 2, 2, 2, 2, 2, 2, 2, 3, 3, 3, 3, 3,
            3, 3, 3,
        ),
    );
    let bit = _mm256_set1_epi64x(0x8040_2010_0804_0201u64 as i64);
    let set = _mm256_cmpeq_epi8(_mm256_and_si256(spread, bit), bit);
    _mm256_or_si256(q, _mm256_and_si256(set, _mm256_set1_epi8(16)))
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

/// Q4_0 (values `d · (q - 8)`), Q4_1 (`d · q + m`) and Q5_0 (`d · (q -
/// 16)`) against the first `R` rows of partial tiles.
#[inline(always)]
unsafe fn small_rows<D: Dot4, const R: usize, const K: u8>(w: &[u8], a: &[Q8Tile]) -> [f32; TILE] {
    let nb = a.len();
    debug_assert_eq!(w.len(), nb * small(K).block_bytes());
    let mut acc = [_mm256_setzero_ps(); R];
    let mut offsets = _mm256_setzero_ps();
    let parts = Parts::new(w, small(K), nb);
    for b in 0..nb {
        let (d, min) = small_scales::<K>(&parts, b);
        let q = small_values::<K>(&parts, b);
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
    let parts = Parts::new(w, Direct::Q8_0, nb);
    for b in 0..nb {
        let d = parts.d(b);
        let ab = a.get_unchecked(b);
        let mut scales = [0f32; TILE];
        _mm256_storeu_ps(
            scales.as_mut_ptr(),
            _mm256_mul_ps(d, _mm256_load_ps(ab.d.as_ptr())),
        );
        let q = _mm256_loadu_si256(parts.values.add(32 * b) as *const __m256i);
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

/// Q4_0, Q4_1 and Q5_0 against a full tile (see [`full_tile_dots`]).
#[inline(always)]
unsafe fn small_full<D: Dot4, const K: u8>(w: &[u8], a: &[Q8Tile]) -> [f32; TILE] {
    debug_assert_eq!(w.len(), a.len() * small(K).block_bytes());
    let mut acc = _mm256_setzero_ps();
    let mut offsets = _mm256_setzero_ps();
    let parts = Parts::new(w, small(K), a.len());
    for (b, ab) in a.iter().enumerate() {
        let (d, min) = small_scales::<K>(&parts, b);
        offsets = _mm256_fmadd_ps(min, _mm256_load_ps(ab.s.as_ptr()), offsets);
        let dots = if K == Q5_0 {
            D::full_dots(small_values::<K>(&parts, b), ab)
        } else {
            D::q4_full_dots(parts.values.add(16 * b), ab)
        };
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
    let parts = Parts::new(w, Direct::Q8_0, a.len());
    for (b, ab) in a.iter().enumerate() {
        let d = parts.d(b);
        let q = _mm256_loadu_si256(parts.values.add(32 * b) as *const __m256i);
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
