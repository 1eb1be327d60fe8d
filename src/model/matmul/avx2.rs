//! The single-token kernels on 256-bit registers (AVX2, for CPUs without
//! AVX-512 VNNI): one activation row against repacked weight rows (see
//! `layout`), the decode step's products, on the same activations as the
//! 512-bit kernels in `avx512`. Two blocks of four- or five-bit values meet
//! the activations in one load, the scales of eight blocks are converted and
//! multiplied in one go, and the rows a few ahead are prefetched; the tile
//! kernels in `x86` take one block per step and convert each scale alone.
//!
//! Every function here is `unsafe`: it may run only on a CPU with AVX2, FMA
//! and F16C, and it reads the weights and activations without bounds
//! checks, so the caller in `matmul` asserts their shapes.

#![allow(unsafe_op_in_unsafe_fn)]

use std::arch::x86_64::*;

use super::x86::{Q4_0, Q4_1, Q5_0, hsum, prefetch_ahead, small};
use super::{Direct, Single, layout};

/// `out[r]` is weight row `r` of `w` (whole repacked rows of `a.blocks`
/// blocks) against the activation row `a`.
#[target_feature(enable = "avx2,fma,f16c")]
pub(super) unsafe fn dot_rows_single(kind: Direct, w: &[u8], a: &Single, out: &mut [f32]) {
    let row_bytes = a.blocks * kind.block_bytes();
    macro_rules! each_row {
        ($kernel:expr) => {
            for (r, (row, o)) in w.chunks_exact(row_bytes).zip(out.iter_mut()).enumerate() {
                prefetch_ahead(w, r, row_bytes);
                *o = $kernel(row, a);
            }
        };
    }
    match kind {
        Direct::Q4_0 => each_row!(small_row::<Q4_0>),
        Direct::Q4_1 => each_row!(small_row::<Q4_1>),
        Direct::Q5_0 => each_row!(small_row::<Q5_0>),
        Direct::Q8_0 => each_row!(q8_0),
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
