//! Small f32 vector kernels of the attention and normalisation steps, with
//! an AVX2 path picked at run time and a portable one.

/// `Σ a[i]·b[i]`.
pub fn dot(a: &[f32], b: &[f32]) -> f32 {
    debug_assert_eq!(a.len(), b.len());
    #[cfg(target_arch = "x86_64")]
    if avx2() {
        // SAFETY: AVX2 and FMA are present (checked at run time).
        return unsafe { x86::dot(a, b) };
    }
    a.iter().zip(b).map(|(x, y)| x * y).sum()
}

/// `y[i] += alpha·x[i]`.
pub fn axpy(alpha: f32, x: &[f32], y: &mut [f32]) {
    debug_assert_eq!(x.len(), y.len());
    #[cfg(target_arch = "x86_64")]
    if avx2() {
        // SAFETY: as above.
        return unsafe { x86::axpy(alpha, x, y) };
    }
    for (y, x) in y.iter_mut().zip(x) {
        *y += alpha * x;
    }
}

/// Softmax attention of one query: `out = Σ_j softmax_j(scale·q·k_j)·v_j`
/// over `len` positions, key and value `j` at `j·stride` in `keys` and
/// `values` (each `q.len()` long). `scores` is scratch space.
#[allow(clippy::too_many_arguments)]
pub fn attend(
    q: &[f32],
    keys: &[f32],
    values: &[f32],
    stride: usize,
    len: usize,
    scale: f32,
    scores: &mut Vec<f32>,
    out: &mut [f32],
) {
    #[cfg(target_arch = "x86_64")]
    if avx2() && q.len().is_multiple_of(8) && q.len() <= 256 {
        // SAFETY: as above; the head width is one the kernel takes.
        return unsafe { x86::attend(q, keys, values, stride, len, scale, scores, out) };
    }
    attend_with(dot, axpy, q, keys, values, stride, len, scale, scores, out)
}

/// The attention loop over given dot/axpy kernels.
#[allow(clippy::too_many_arguments)]
#[inline(always)]
fn attend_with(
    dot: impl Fn(&[f32], &[f32]) -> f32,
    axpy: impl Fn(f32, &[f32], &mut [f32]),
    q: &[f32],
    keys: &[f32],
    values: &[f32],
    stride: usize,
    len: usize,
    scale: f32,
    scores: &mut Vec<f32>,
    out: &mut [f32],
) {
    let hd = q.len();
    scores.clear();
    scores.extend((0..len).map(|j| dot(q, &keys[j * stride..][..hd]) * scale));
    let max = scores.iter().fold(f32::NEG_INFINITY, |m, &v| m.max(v));
    let mut sum = 0f32;
    for s in scores.iter_mut() {
        *s = (*s - max).exp();
        sum += *s;
    }
    out.fill(0.0);
    let inv = 1.0 / sum;
    for (j, s) in scores.iter().enumerate() {
        axpy(s * inv, &values[j * stride..][..hd], out);
    }
}

#[cfg(target_arch = "x86_64")]
fn avx2() -> bool {
    use std::sync::OnceLock;
    static HAS: OnceLock<bool> = OnceLock::new();
    *HAS.get_or_init(|| is_x86_feature_detected!("avx2") && is_x86_feature_detected!("fma"))
}

#[cfg(target_arch = "x86_64")]
#[allow(unsafe_op_in_unsafe_fn)]
mod x86 {
    use std::arch::x86_64::*;

    /// [`super::attend`] for heads a multiple of 8 wide, at most 256: the scores of
    /// four keys at a time, then the weighted sum of the values, all in
    /// registers of eight lanes.
    #[allow(clippy::too_many_arguments)]
    #[target_feature(enable = "avx2,fma")]
    pub(super) unsafe fn attend(
        q: &[f32],
        keys: &[f32],
        values: &[f32],
        stride: usize,
        len: usize,
        scale: f32,
        scores: &mut Vec<f32>,
        out: &mut [f32],
    ) {
        let hd = q.len();
        assert!(len == 0 || keys.len() >= (len - 1) * stride + hd);
        assert!(len == 0 || values.len() >= (len - 1) * stride + hd);
        let lanes = hd / 8;
        let mut qv = [_mm256_setzero_ps(); 32];
        for (i, v) in qv.iter_mut().enumerate().take(lanes) {
            *v = _mm256_loadu_ps(q.as_ptr().add(8 * i));
        }
        scores.clear();
        scores.reserve(len);
        let kp = keys.as_ptr();
        let mut j = 0;
        while j + 4 <= len {
            let mut acc = [_mm256_setzero_ps(); 4];
            for (k, a) in acc.iter_mut().enumerate() {
                let row = kp.add((j + k) * stride);
                for (i, q) in qv.iter().enumerate().take(lanes) {
                    *a = _mm256_fmadd_ps(*q, _mm256_loadu_ps(row.add(8 * i)), *a);
                }
            }
            // Four horizontal sums at once.
            let h01 = _mm256_hadd_ps(acc[0], acc[1]);
            let h23 = _mm256_hadd_ps(acc[2], acc[3]);
            let h = _mm256_hadd_ps(h01, h23);
            let sum = _mm_add_ps(_mm256_castps256_ps128(h), _mm256_extractf128_ps(h, 1));
            let sum = _mm_mul_ps(sum, _mm_set1_ps(scale));
            let mut four = [0f32; 4];
            _mm_storeu_ps(four.as_mut_ptr(), sum);
            scores.extend_from_slice(&four);
            j += 4;
        }
        while j < len {
            scores.push(dot(q, &keys[j * stride..][..hd]) * scale);
            j += 1;
        }
        let max = scores.iter().fold(f32::NEG_INFINITY, |m, &v| m.max(v));
        let mut sum = 0f32;
        for s in scores.iter_mut() {
            *s = (*s - max).exp();
            sum += *s;
        }
        let inv = 1.0 / sum;
        let mut acc = [_mm256_setzero_ps(); 32];
        let vp = values.as_ptr();
        for (j, &w) in scores.iter().enumerate() {
            let w = _mm256_set1_ps(w * inv);
            let row = vp.add(j * stride);
            for (i, a) in acc.iter_mut().enumerate().take(lanes) {
                *a = _mm256_fmadd_ps(w, _mm256_loadu_ps(row.add(8 * i)), *a);
            }
        }
        for (i, a) in acc.iter().enumerate().take(lanes) {
            _mm256_storeu_ps(out.as_mut_ptr().add(8 * i), *a);
        }
    }

    #[inline]
    #[target_feature(enable = "avx2,fma")]
    pub(super) unsafe fn dot(a: &[f32], b: &[f32]) -> f32 {
        let n = a.len().min(b.len());
        let (pa, pb) = (a.as_ptr(), b.as_ptr());
        let mut acc0 = _mm256_setzero_ps();
        let mut acc1 = _mm256_setzero_ps();
        let mut i = 0;
        while i + 16 <= n {
            acc0 = _mm256_fmadd_ps(_mm256_loadu_ps(pa.add(i)), _mm256_loadu_ps(pb.add(i)), acc0);
            acc1 = _mm256_fmadd_ps(
                _mm256_loadu_ps(pa.add(i + 8)),
                _mm256_loadu_ps(pb.add(i + 8)),
                acc1,
            );
            i += 16;
        }
        while i + 8 <= n {
            acc0 = _mm256_fmadd_ps(_mm256_loadu_ps(pa.add(i)), _mm256_loadu_ps(pb.add(i)), acc0);
            i += 8;
        }
        let v = _mm256_add_ps(acc0, acc1);
        let s = _mm_add_ps(_mm256_castps256_ps128(v), _mm256_extractf128_ps(v, 1));
        let s = _mm_add_ps(s, _mm_movehl_ps(s, s));
        let s = _mm_add_ss(s, _mm_shuffle_ps(s, s, 1));
        let mut total = _mm_cvtss_f32(s);
        while i < n {
            total += a[i] * b[i];
            i += 1;
        }
        total
    }

    #[inline]
    #[target_feature(enable = "avx2,fma")]
    pub(super) unsafe fn axpy(alpha: f32, x: &[f32], y: &mut [f32]) {
        let n = x.len().min(y.len());
        let (px, py) = (x.as_ptr(), y.as_mut_ptr());
        let va = _mm256_set1_ps(alpha);
        let mut i = 0;
        while i + 8 <= n {
            _mm256_storeu_ps(
                py.add(i),
                _mm256_fmadd_ps(va, _mm256_loadu_ps(px.add(i)), _mm256_loadu_ps(py.add(i))),
            );
            i += 8;
        }
        while i < n {
            y[i] += alpha * x[i];
            i += 1;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kernels_match_plain_loops() {
        let a: Vec<f32> = (0..37).map(|i| i as f32 * 0.5 - 3.0).collect();
        let b: Vec<f32> = (0..37).map(|i| 1.0 - i as f32 * 0.25).collect();
        let want: f32 = a.iter().zip(&b).map(|(x, y)| x * y).sum();
        assert!((dot(&a, &b) - want).abs() < 1e-3);
        let mut y = b.clone();
        axpy(2.0, &a, &mut y);
        for i in 0..37 {
            assert!((y[i] - (b[i] + 2.0 * a[i])).abs() < 1e-5);
        }
    }

    #[test]
    fn attention_is_a_softmax_weighted_sum() {
        // Two positions of a 2-wide head, stored with a stride of 3.
        let q = [1.0, 0.0];
        let keys = [1.0, 0.0, 9.0, 0.0, 0.0, 9.0];
        let values = [1.0, 2.0, 9.0, 3.0, 4.0, 9.0];
        let mut out = [0.0; 2];
        attend(&q, &keys, &values, 3, 2, 1.0, &mut Vec::new(), &mut out);
        let (e1, e0) = (1f32.exp(), 1.0);
        let w = [e1 / (e1 + e0), e0 / (e1 + e0)];
        assert!((out[0] - (w[0] * 1.0 + w[1] * 3.0)).abs() < 1e-6);
        assert!((out[1] - (w[0] * 2.0 + w[1] * 4.0)).abs() < 1e-6);
    }

    #[test]
    fn wide_head_attention_matches_the_plain_loop() {
        // 64-wide heads, 11 positions (two groups of four and three more),
        // stride 192 as in a model with three key/value heads.
        let (hd, stride, len) = (64, 192, 11);
        let wave =
            |n: usize, k: f32| -> Vec<f32> { (0..n).map(|i| (i as f32 * k).sin()).collect() };
        let q = wave(hd, 0.37);
        let keys = wave(stride * len, 0.11);
        let values = wave(stride * len, 0.23);
        let mut got = vec![0.0; hd];
        attend(
            &q,
            &keys,
            &values,
            stride,
            len,
            0.125,
            &mut Vec::new(),
            &mut got,
        );
        let mut want = vec![0.0; hd];
        attend_with(
            |a, b| a.iter().zip(b).map(|(x, y)| x * y).sum(),
            |alpha, x, y| y.iter_mut().zip(x).for_each(|(y, x)| *y += alpha * x),
            &q,
            &keys,
            &values,
            stride,
            len,
            0.125,
            &mut Vec::new(),
            &mut want,
        );
        for (g, w) in got.iter().zip(&want) {
            assert!((g - w).abs() < 1e-5, "{g} vs {w}");
        }
    }
}
