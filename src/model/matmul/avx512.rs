//! The single-token kernels on 512-bit registers (AVX-512 with VNNI): one
//! activation row against repacked weight rows (see `layout`), the decode
//! step's products. Four blocks of four- or five-bit values (or two of
//! 8-bit ones) meet the activations in one load and two `vpdpbusd`, and the
//! scales of sixteen blocks are converted and multiplied in one go, so a
//! block costs about a quarter of the instructions of the tile kernels in
//! `x86`; the rows a few ahead are prefetched, since a decode step reads
//! every weight once and would otherwise wait on memory.
//!
//! The entry point (`dot_rows_single`) is a safe `#[target_feature]`
//! function that asserts the shapes its kernels read; the row kernels below
//! it are `#[inline(always)] unsafe fn`s with the contract of `x86`'s
//! helpers: they run inside the entry point, with its features enabled, on
//! the rows and activations it asserted, and read them without bounds
//! checks.

// The kernels' contract above covers every operation in their bodies.
#![allow(unsafe_op_in_unsafe_fn)]

use std::arch::x86_64::*;

use super::x86::{Q4_0, Q4_1, Q5_0, each_row, small};
use super::{Direct, Single, layout};

/// `out[r]` is weight row `r` of `w` (whole repacked rows of `a.blocks`
/// blocks) against the activation row `a`.
#[target_feature(enable = "avx2,fma,f16c,avx512f,avx512bw,avx512vnni,avx512vl")]
pub(super) fn dot_rows_single(kind: Direct, w: &[u8], a: &Single, out: &mut [f32]) {
    a.assert_shapes(kind, w, out);
    let row_bytes = a.blocks * kind.block_bytes();
    // SAFETY: the entry point's features are enabled here, and the rows and
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

/// The first `n` (at most 16) of 16 blocks' half-precision values at `p`,
/// as f32; the others zero.
#[inline(always)]
unsafe fn halves(p: *const u8, n: usize) -> __m512 {
    let mask: __mmask16 = if n >= 16 { !0 } else { (1 << n) - 1 };
    _mm512_cvtph_ps(_mm256_maskz_loadu_epi16(mask, p as *const i16))
}

/// The first `bytes` (at most 64) bytes at `p`; the others zero.
#[inline(always)]
unsafe fn bytes(p: *const u8, bytes: usize) -> __m512i {
    if bytes >= 64 {
        _mm512_loadu_si512(p as *const __m512i)
    } else {
        _mm512_maskz_loadu_epi8((1u64 << bytes) - 1, p as *const i8)
    }
}

/// Lane indices repeating each of four consecutive blocks' scales over
/// four lanes, for the four groups of four blocks in sixteen.
#[inline(always)]
unsafe fn quads(g: usize) -> __m512i {
    let b = 4 * g as i32;
    _mm512_setr_epi32(
        b,
        b,
        b,
        b,
        b + 1,
        b + 1,
        b + 1,
        b + 1,
        b + 2,
        b + 2,
        b + 2,
        b + 2,
        b + 3,
        b + 3,
        b + 3,
        b + 3,
    )
}

/// Lane indices repeating each of two consecutive blocks' scales over
/// eight lanes, for the eight pairs of blocks in sixteen.
#[inline(always)]
unsafe fn pairs(j: usize) -> __m512i {
    let lo = _mm256_set1_epi32(2 * j as i32);
    let hi = _mm256_set1_epi32(2 * j as i32 + 1);
    _mm512_inserti64x4::<1>(_mm512_castsi256_si512(lo), hi)
}

/// Q4_0 (weights `d · (q - 8)`), Q4_1 (`d · q + m`) and Q5_0 (`d · (q -
/// 16)`). Lanes `4i..4i + 4` of a product hold block `i` of four.
#[inline(always)]
unsafe fn small_row<const K: u8>(w: &[u8], a: &Single) -> f32 {
    let nb = a.blocks;
    let (values_at, d_at, extra_at) = layout::parts(small(K), nb);
    let p = w.as_ptr();
    let values = p.add(values_at);
    let nibble = _mm512_set1_epi8(0x0f);
    let sixteen = _mm512_set1_epi8(16);
    // Four blocks' masks of fifth bits: the low halves (columns 0..16)
    // first, then the high ones.
    let halves_first = _mm_setr_epi8(0, 1, 4, 5, 8, 9, 12, 13, 2, 3, 6, 7, 10, 11, 14, 15);
    let mut acc = _mm512_setzero_ps();
    let mut offsets = _mm512_setzero_ps();
    for b0 in (0..nb).step_by(16) {
        let n = (nb - b0).min(16);
        let dw = halves(p.add(d_at + 2 * b0), n);
        let scales = _mm512_mul_ps(dw, _mm512_loadu_ps(a.d.as_ptr().add(b0)));
        let mins = match K {
            Q4_1 => halves(p.add(extra_at + 2 * b0), n),
            Q4_0 => _mm512_mul_ps(dw, _mm512_set1_ps(-8.0)),
            _ => _mm512_mul_ps(dw, _mm512_set1_ps(-16.0)),
        };
        offsets = _mm512_fmadd_ps(mins, _mm512_loadu_ps(a.s.as_ptr().add(b0)), offsets);
        for g in 0..n.div_ceil(4) {
            let b = b0 + 4 * g;
            let count = (nb - b).min(4);
            let q = bytes(values.add(16 * b), 16 * count);
            let mut lo = _mm512_and_si512(q, nibble);
            let mut hi = _mm512_and_si512(_mm512_srli_epi16::<4>(q), nibble);
            if K == Q5_0 {
                let mask = ((1u32 << (4 * count)) - 1) as __mmask16;
                let high = _mm_maskz_loadu_epi8(mask, p.add(extra_at + 4 * b) as *const i8);
                let high = _mm_shuffle_epi8(high, halves_first);
                let (low_bits, high_bits) = (
                    _mm_cvtsi128_si64(high) as u64,
                    _mm_extract_epi64::<1>(high) as u64,
                );
                lo = _mm512_mask_add_epi8(lo, low_bits, lo, sixteen);
                hi = _mm512_mask_add_epi8(hi, high_bits, hi, sixteen);
            }
            let h = a.halves.get_unchecked(b / 4);
            let dot = _mm512_dpbusd_epi32(
                _mm512_setzero_si512(),
                lo,
                _mm512_load_si512(h.lo.as_ptr() as *const __m512i),
            );
            let dot =
                _mm512_dpbusd_epi32(dot, hi, _mm512_load_si512(h.hi.as_ptr() as *const __m512i));
            let scale = _mm512_permutexvar_ps(quads(g), scales);
            acc = _mm512_fmadd_ps(_mm512_cvtepi32_ps(dot), scale, acc);
        }
    }
    _mm512_reduce_add_ps(_mm512_add_ps(acc, offsets))
}

/// Q8_0: the signed weights shifted by 128 to unsigned bytes for
/// `vpdpbusd`, and 128 times each block's activation sum taken off again.
/// Lanes `8i..8i + 8` of a product hold block `i` of two.
#[inline(always)]
unsafe fn q8_0(w: &[u8], a: &Single) -> f32 {
    let nb = a.blocks;
    let (values_at, d_at, _) = layout::parts(Direct::Q8_0, nb);
    let p = w.as_ptr();
    let values = p.add(values_at);
    let bias = _mm512_set1_epi8(-128);
    let mut acc = _mm512_setzero_ps();
    let mut offsets = _mm512_setzero_ps();
    for b0 in (0..nb).step_by(16) {
        let n = (nb - b0).min(16);
        let dw = halves(p.add(d_at + 2 * b0), n);
        let scales = _mm512_mul_ps(dw, _mm512_loadu_ps(a.d.as_ptr().add(b0)));
        offsets = _mm512_fmadd_ps(dw, _mm512_loadu_ps(a.s.as_ptr().add(b0)), offsets);
        for j in 0..n.div_ceil(2) {
            let b = b0 + 2 * j;
            let q = _mm512_xor_si512(bytes(values.add(32 * b), 32 * (nb - b).min(2)), bias);
            let y = _mm512_load_si512(a.flat.get_unchecked(b / 2).0.as_ptr() as *const __m512i);
            let dot = _mm512_dpbusd_epi32(_mm512_setzero_si512(), q, y);
            let scale = _mm512_permutexvar_ps(pairs(j), scales);
            acc = _mm512_fmadd_ps(_mm512_cvtepi32_ps(dot), scale, acc);
        }
    }
    _mm512_reduce_add_ps(_mm512_fmadd_ps(offsets, _mm512_set1_ps(-128.0), acc))
}
