//! Register steps the x86-64 kernels (`vector`, `matmul`) share: loads
//! and stores of eight f32 lanes that check the slice holds them, so the
//! kernels that use them need no `unsafe` of their own, and a horizontal
//! sum.

use std::arch::x86_64::*;

/// Eight values from `x[at..at + 8]`.
#[target_feature(enable = "avx")]
#[inline]
pub fn f32x8(x: &[f32], at: usize) -> __m256 {
    let x = &x[at..at + 8];
    // SAFETY: `x` holds the 8 values read.
    unsafe { _mm256_loadu_ps(x.as_ptr()) }
}

/// `v` into `x[at..at + 8]`.
#[target_feature(enable = "avx")]
#[inline]
pub fn store_f32x8(x: &mut [f32], at: usize, v: __m256) {
    let x = &mut x[at..at + 8];
    // SAFETY: `x` holds the 8 values written.
    unsafe { _mm256_storeu_ps(x.as_mut_ptr(), v) }
}

/// The eight lanes of `v`.
#[target_feature(enable = "avx")]
#[inline]
pub fn f32_lanes(v: __m256) -> [f32; 8] {
    let mut out = [0f32; 8];
    store_f32x8(&mut out, 0, v);
    out
}

/// The sum of the eight lanes of `v`.
#[target_feature(enable = "avx")]
#[inline]
pub fn hsum(v: __m256) -> f32 {
    let s = _mm_add_ps(_mm256_castps256_ps128(v), _mm256_extractf128_ps(v, 1));
    let s = _mm_add_ps(s, _mm_movehl_ps(s, s));
    let s = _mm_add_ss(s, _mm_shuffle_ps(s, s, 1));
    _mm_cvtss_f32(s)
}
