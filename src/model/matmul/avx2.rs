//! The single-token kernels on 256-bit registers (AVX2, for CPUs without
//! AVX-512 VNNI): one activation row against repacked weight rows (see
//! `layout`), the decode step's products, on the same activations as the
//! 512-bit kernels in `avx512`. Two blocks of four- or five-bit values meet
//! the activations in one load, the scales of eight blocks are converted and
//! multiplied in one go, and the rows a few ahead are prefetched; the tile
//! kernels in `x86` take one block per step and convert each scale alone.
//! Q4_K and Q6_K rows, which are not repacked, have single-token kernels
//! here too, on any CPU with AVX2: without them every decode step would
//! unpack those rows again.
//!
//! The entry points (`dot_rows_single`, `dot_rows_single_k`) are safe
//! `#[target_feature]` functions that assert the shapes their kernels read;
//! the row kernels below them are `#[inline(always)] unsafe fn`s with the
//! contract of `x86`'s helpers: they run inside an entry point with AVX2,
//! FMA and F16C enabled, on the rows and activations it asserted, and read
//! them without bounds checks. (Safe kernels on bounds-checked loads were
//! measured: a fifth slower at decoding, the checks being in the loop that
//! meets each block.)

// The kernels' contract above covers every operation in their bodies.
#![allow(unsafe_op_in_unsafe_fn)]

use std::arch::x86_64::*;

use super::x86::{Q4_0, Q4_1, Q5_0, each_row, small};
use super::{Direct, KQuant, Single, layout};
use crate::model::simd::hsum;

/// `out[r]` is weight row `r` of `w` (whole repacked rows of `a.blocks`
/// blocks) against the activation row `a`.
#[target_feature(enable = "avx2,fma,f16c")]
pub(super) fn dot_rows_single(kind: Direct, w: &[u8], a: &Single, out: &mut [f32]) {
    a.assert_shapes(kind, w, out);
    let row_bytes = a.blocks * kind.block_bytes();
    // SAFETY: AVX2, FMA and F16C are enabled here, and the rows and
    // activations the kernels read are asserted above.
    unsafe {
        match kind {
            Direct::Q4_0 => each_row!(w, row_bytes, a, out, small_row::<Q4_0>),
            Direct::Q4_1 => each_row!(w, row_bytes, a, out, small_row::<Q4_1>),
            Direct::Q5_0 => each_row!(w, row_bytes, a, out, small_row::<Q5_0>),
            Direct::Q8_0 => each_row!(w, row_bytes, a, out, q8_0),
        }
    }
}

/// The first `n` (at most 8) of 8 blocks' half-precision values at `p`, as
/// f32; the others zero. Whole rows are read: the bytes past a row's last
/// scale are its other parts (see `layout`), read and then masked off.
#[inline(always)]
unsafe fn halves(p: *const u8, n: usize) -> __m256 {
    let all = _mm256_cvtph_ps(_mm_loadu_si128(p as *const __m128i));
    if n >= 8 {
        return all;
    }
    let keep = _mm256_cmpgt_epi32(
        _mm256_set1_epi32(n as i32),
        _mm256_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7),
    );
    _mm256_and_ps(all, _mm256_castsi256_ps(keep))
}

/// 16 in byte `c` where bit `c` of `bits` is set, else 0: the fifth bits
/// of 32 values of Q5_0.
#[inline(always)]
unsafe fn fifth_bits(bits: u32) -> __m256i {
    let spread = _mm256_shuffle_epi8(
        _mm256_set1_epi32(bits as i32),
        _mm256_setr_epi8(
            0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 1, 1, 1, 2, 2, 2, 2, 2, 2, 2, 2, 3, 3, 3, 3, 3,
            3, 3, 3,
        ),
    );
    let bit = _mm256_set1_epi64x(0x8040_2010_0804_0201u64 as i64);
    let set = _mm256_cmpeq_epi8(_mm256_and_si256(spread, bit), bit);
    _mm256_and_si256(set, _mm256_set1_epi8(16))
}

/// Q4_0 (weights `d · (q - 8)`), Q4_1 (`d · q + m`) and Q5_0 (`d · (q -
/// 16)`), two blocks per step: one load of their 32 bytes of values gives
/// the first 16 columns of both (low nibbles) and the last 16 (high
/// nibbles), which meet the matching halves of the activations; lanes
/// `0..4` of a product hold the first block, `4..8` the second.
#[inline(always)]
unsafe fn small_row<const K: u8>(w: &[u8], a: &Single) -> f32 {
    let nb = a.blocks;
    let (values_at, d_at, extra_at) = layout::parts(small(K), nb);
    let p = w.as_ptr();
    let values = p.add(values_at);
    let nibble = _mm256_set1_epi8(0x0f);
    let ones = _mm256_set1_epi16(1);
    let mut acc = _mm256_setzero_ps();
    let mut offsets = _mm256_setzero_ps();
    for b0 in (0..nb).step_by(8) {
        let n = (nb - b0).min(8);
        let dw = halves(p.add(d_at + 2 * b0), n);
        let scales = _mm256_mul_ps(dw, _mm256_loadu_ps(a.d.as_ptr().add(b0)));
        let mins = match K {
            Q4_1 => halves(p.add(extra_at + 2 * b0), n),
            Q4_0 => _mm256_mul_ps(dw, _mm256_set1_ps(-8.0)),
            _ => _mm256_mul_ps(dw, _mm256_set1_ps(-16.0)),
        };
        offsets = _mm256_fmadd_ps(mins, _mm256_loadu_ps(a.s.as_ptr().add(b0)), offsets);
        // Lane indices of the scales of blocks `b` and `b + 1` (of eight).
        let mut pair = _mm256_setr_epi32(0, 0, 0, 0, 1, 1, 1, 1);
        for j in 0..n.div_ceil(2) {
            let b = b0 + 2 * j;
            let two = nb - b >= 2;
            let q = if two {
                _mm256_loadu_si256(values.add(16 * b) as *const __m256i)
            } else {
                _mm256_zextsi128_si256(_mm_loadu_si128(values.add(16 * b) as *const __m128i))
            };
            let mut lo = _mm256_and_si256(q, nibble);
            let mut hi = _mm256_and_si256(_mm256_srli_epi16::<4>(q), nibble);
            if K == Q5_0 {
                let bits =
                    |i: usize| std::ptr::read_unaligned(p.add(extra_at + 4 * i) as *const u32);
                let (first, second) = (bits(b), if two { bits(b + 1) } else { 0 });
                lo = _mm256_or_si256(lo, fifth_bits((first & 0xffff) | (second << 16)));
                hi = _mm256_or_si256(hi, fifth_bits((first >> 16) | (second & 0xffff_0000)));
            }
            // Blocks `b` and `b + 1` are the first or the second half of
            // their group of four's activations.
            let h = a.halves.get_unchecked(b / 4);
            let at = 32 * (b / 2 % 2);
            let y_lo = _mm256_load_si256(h.lo.as_ptr().add(at) as *const __m256i);
            let y_hi = _mm256_load_si256(h.hi.as_ptr().add(at) as *const __m256i);
            // Pairs of u8·i8 products fit i16 (at most 2 · 31 · 127 each,
            // twice that for the two halves), so they are summed there.
            let pairs = _mm256_add_epi16(
                _mm256_maddubs_epi16(lo, y_lo),
                _mm256_maddubs_epi16(hi, y_hi),
            );
            let dot = _mm256_madd_epi16(pairs, ones);
            let scale = _mm256_permutevar8x32_ps(scales, pair);
            acc = _mm256_fmadd_ps(_mm256_cvtepi32_ps(dot), scale, acc);
            pair = _mm256_add_epi32(pair, _mm256_set1_epi32(2));
        }
    }
    hsum(_mm256_add_ps(acc, offsets))
}

/// Q8_0, a block per step: the weights' magnitudes against the activations
/// with the weights' signs (`maddubs` takes unsigned bytes first).
#[inline(always)]
unsafe fn q8_0(w: &[u8], a: &Single) -> f32 {
    let nb = a.blocks;
    let (values_at, d_at, _) = layout::parts(Direct::Q8_0, nb);
    let p = w.as_ptr();
    let values = p.add(values_at);
    let ones = _mm256_set1_epi16(1);
    let mut acc = _mm256_setzero_ps();
    for b0 in (0..nb).step_by(8) {
        let n = (nb - b0).min(8);
        let dw = halves(p.add(d_at + 2 * b0), n);
        let scales = _mm256_mul_ps(dw, _mm256_loadu_ps(a.d.as_ptr().add(b0)));
        let mut lane = _mm256_setzero_si256();
        for i in 0..n {
            let b = b0 + i;
            let q = _mm256_loadu_si256(values.add(32 * b) as *const __m256i);
            let y = a.flat.get_unchecked(b / 2).0.as_ptr().add(32 * (b % 2));
            let y = _mm256_load_si256(y as *const __m256i);
            let pairs = _mm256_maddubs_epi16(_mm256_abs_epi8(q), _mm256_sign_epi8(y, q));
            let dot = _mm256_madd_epi16(pairs, ones);
            let scale = _mm256_permutevar8x32_ps(scales, lane);
            acc = _mm256_fmadd_ps(_mm256_cvtepi32_ps(dot), scale, acc);
            lane = _mm256_add_epi32(lane, _mm256_set1_epi32(1));
        }
    }
    hsum(acc)
}

/// `out[r]` is weight row `r` of `w` (whole GGML rows of `a.blocks / 8`
/// super-blocks of a K-quant format, as the file holds them) against the
/// activation row `a`. These formats are not repacked; each super-block of
/// 256 values meets eight activation blocks.
#[target_feature(enable = "avx2,fma,f16c")]
pub(super) fn dot_rows_single_k(kind: KQuant, w: &[u8], a: &Single, out: &mut [f32]) {
    a.assert_k_shapes(kind, w, out);
    let row_bytes = a.blocks / 8 * kind.block_bytes();
    // SAFETY: AVX2, FMA and F16C are enabled here, and the rows and
    // activations the kernels read are asserted above.
    unsafe {
        match kind {
            KQuant::Q4K => each_row!(w, row_bytes, a, out, q4_k),
            KQuant::Q6K => each_row!(w, row_bytes, a, out, q6_k),
        }
    }
}

/// The half-precision number at `p`, as f32.
#[inline(always)]
unsafe fn half(p: *const u8) -> f32 {
    let bits = std::ptr::read_unaligned(p as *const u16);
    _mm_cvtss_f32(_mm_cvtph_ps(_mm_cvtsi32_si128(bits as i32)))
}

/// The eight bytes of `lo` then `hi` (little-endian words) as f32 lanes.
#[inline(always)]
unsafe fn byte_lanes(lo: u32, hi: u32) -> __m256 {
    _mm256_cvtepi32_ps(_mm256_cvtepu8_epi32(_mm_setr_epi32(
        lo as i32, hi as i32, 0, 0,
    )))
}

/// The values of an activation block whole (see [`Single`]).
#[inline(always)]
unsafe fn whole_block(a: &Single, b: usize) -> __m256i {
    let y = a.flat.get_unchecked(b / 2).0.as_ptr().add(32 * (b % 2));
    _mm256_load_si256(y as *const __m256i)
}

/// Q4_K: weight `d · sc · q - dmin · m` per sub-block of 32, which is one
/// activation block; the eight six-bit scales and minimums of a
/// super-block are unpacked from their 12 bytes as words, four at a time.
#[inline(always)]
unsafe fn q4_k(w: &[u8], a: &Single) -> f32 {
    let nibble = _mm256_set1_epi8(0x0f);
    let ones = _mm256_set1_epi16(1);
    let mut acc = _mm256_setzero_ps();
    let mut offsets = _mm256_setzero_ps();
    for (sb, block) in w.chunks_exact(KQuant::Q4K.block_bytes()).enumerate() {
        let p = block.as_ptr();
        let word = |i: usize| std::ptr::read_unaligned(p.add(4 + 4 * i) as *const u32);
        let (w0, w1, w2) = (word(0), word(1), word(2));
        // Sub-blocks 0..4 keep their six bits in bytes 0..4 (scales) and
        // 4..8 (minimums); 4..8 keep four bits in bytes 8..12 and their
        // top two in the top bits of bytes 0..8.
        let scales = byte_lanes(
            w0 & 0x3f3f_3f3f,
            (w2 & 0x0f0f_0f0f) | (((w0 >> 6) & 0x0303_0303) << 4),
        );
        let mins = byte_lanes(
            w1 & 0x3f3f_3f3f,
            ((w2 >> 4) & 0x0f0f_0f0f) | (((w1 >> 6) & 0x0303_0303) << 4),
        );
        let b0 = 8 * sb;
        let scales = _mm256_mul_ps(
            _mm256_mul_ps(scales, _mm256_set1_ps(half(p))),
            _mm256_loadu_ps(a.d.as_ptr().add(b0)),
        );
        offsets = _mm256_fmadd_ps(
            _mm256_mul_ps(mins, _mm256_set1_ps(-half(p.add(2)))),
            _mm256_loadu_ps(a.s.as_ptr().add(b0)),
            offsets,
        );
        let values = p.add(16);
        let mut lane = _mm256_setzero_si256();
        for i in 0..4 {
            // Low nibbles: sub-block 2i; high nibbles: sub-block 2i + 1.
            let q = _mm256_loadu_si256(values.add(32 * i) as *const __m256i);
            let lo = _mm256_and_si256(q, nibble);
            let hi = _mm256_and_si256(_mm256_srli_epi16::<4>(q), nibble);
            for (v, b) in [(lo, b0 + 2 * i), (hi, b0 + 2 * i + 1)] {
                let dot = _mm256_madd_epi16(_mm256_maddubs_epi16(v, whole_block(a, b)), ones);
                let scale = _mm256_permutevar8x32_ps(scales, lane);
                acc = _mm256_fmadd_ps(_mm256_cvtepi32_ps(dot), scale, acc);
                lane = _mm256_add_epi32(lane, _mm256_set1_epi32(1));
            }
        }
    }
    hsum(_mm256_add_ps(acc, offsets))
}

/// Q6_K: weight `d · sc · (q - 32)` with a signed eight-bit scale `sc` per
/// 16 values. Each half of a super-block holds four activation blocks: the
/// low four bits of their values in the low then high nibbles of 64 bytes,
/// the top two in 32 bytes, two bits per block. The products are taken
/// with the unsigned `q` and 32 times the activations' sums taken off, in
/// 16 bits; the scales then weigh each run of 16 in one `madd`.
#[inline(always)]
unsafe fn q6_k(w: &[u8], a: &Single) -> f32 {
    let nibble = _mm256_set1_epi8(0x0f);
    let two_bits = _mm256_set1_epi8(3);
    let offset = _mm256_set1_epi8(32);
    let mut acc = _mm256_setzero_ps();
    for (sb, block) in w.chunks_exact(KQuant::Q6K.block_bytes()).enumerate() {
        let p = block.as_ptr();
        let b0 = 8 * sb;
        let scales = _mm256_mul_ps(
            _mm256_set1_ps(half(p.add(208))),
            _mm256_loadu_ps(a.d.as_ptr().add(b0)),
        );
        let mut lane = _mm256_setzero_si256();
        for n in 0..2 {
            let low = p.add(64 * n);
            let q0 = _mm256_loadu_si256(low as *const __m256i);
            let q1 = _mm256_loadu_si256(low.add(32) as *const __m256i);
            let h = _mm256_loadu_si256(p.add(128 + 32 * n) as *const __m256i);
            let top = |shift: i32| {
                let bits = match shift {
                    0 => h,
                    2 => _mm256_srli_epi16::<2>(h),
                    4 => _mm256_srli_epi16::<4>(h),
                    _ => _mm256_srli_epi16::<6>(h),
                };
                _mm256_slli_epi16::<4>(_mm256_and_si256(bits, two_bits))
            };
            let values = [
                _mm256_or_si256(_mm256_and_si256(q0, nibble), top(0)),
                _mm256_or_si256(_mm256_and_si256(q1, nibble), top(2)),
                _mm256_or_si256(_mm256_and_si256(_mm256_srli_epi16::<4>(q0), nibble), top(4)),
                _mm256_or_si256(_mm256_and_si256(_mm256_srli_epi16::<4>(q1), nibble), top(6)),
            ];
            let sc = p.add(192 + 8 * n) as *const i8;
            for (k, v) in values.into_iter().enumerate() {
                let y = whole_block(a, b0 + 4 * n + k);
                let pairs =
                    _mm256_sub_epi16(_mm256_maddubs_epi16(v, y), _mm256_maddubs_epi16(offset, y));
                let weights = _mm256_set_m128i(
                    _mm_set1_epi16(*sc.add(2 * k + 1) as i16),
                    _mm_set1_epi16(*sc.add(2 * k) as i16),
                );
                let dot = _mm256_madd_epi16(pairs, weights);
                let scale = _mm256_permutevar8x32_ps(scales, lane);
                acc = _mm256_fmadd_ps(_mm256_cvtepi32_ps(dot), scale, acc);
                lane = _mm256_add_epi32(lane, _mm256_set1_epi32(1));
            }
        }
    }
    hsum(acc)
}
