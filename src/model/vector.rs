//! Small f32 vector kernels of the attention and normalisation steps, with
//! an AVX2 path picked at run time and a portable one. Attention reads keys
//! and values in half precision, as the key/value cache holds them.

use half::f16;

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

/// What a log-softmax over `x` needs: the largest value, the index of its
/// first occurrence, and `Σ exp(x[i] - max)` (each term in single precision,
/// the sum in double).
pub fn softmax_stats(x: &[f32]) -> (f32, usize, f64) {
    #[cfg(target_arch = "x86_64")]
    if avx2() {
        // SAFETY: AVX2 and FMA are present (checked at run time).
        return unsafe { x86::softmax_stats(x) };
    }
    let max = x.iter().fold(f32::NEG_INFINITY, |m, &v| m.max(v));
    let first = x.iter().position(|&v| v == max).unwrap_or(0);
    let sum = x.iter().map(|&v| f64::from((v - max).exp())).sum();
    (max, first, sum)
}

/// `gate[i] = silu(gate[i]) · up[i]`, `silu(g) = g / (1 + exp(-g))`.
pub fn silu_mul(gate: &mut [f32], up: &[f32]) {
    debug_assert_eq!(gate.len(), up.len());
    #[cfg(target_arch = "x86_64")]
    if avx2() {
        // SAFETY: as above.
        return unsafe { x86::silu_mul(gate, up) };
    }
    for (g, u) in gate.iter_mut().zip(up) {
        *g = *g / (1.0 + (-*g).exp()) * u;
    }
}

/// The keys and values a group of queries attends over: `len` positions,
/// key and value `j` at `j·stride` in `keys` and `values`, in half
/// precision as the key/value cache holds them.
#[derive(Clone, Copy)]
pub struct Span<'a> {
    pub keys: &'a [f16],
    pub values: &'a [f16],
    pub stride: usize,
    pub len: usize,
}

impl Span<'_> {
    /// Panics unless the span holds `len ≥ 1` keys and values of `hd` each,
    /// `stride ≥ hd` apart: what the kernels read.
    fn check(&self, hd: usize) {
        assert!(self.len > 0 && self.stride >= hd, "attention span");
        let reach = (self.len - 1) * self.stride + hd;
        assert!(
            self.keys.len() >= reach && self.values.len() >= reach,
            "key/value cache"
        );
    }
}

/// Softmax attention of the `stats.len()` queries in `q`, each one head
/// wide, over the same span of keys and values (the query heads that share
/// one key/value head): query `g`'s `Σ_j softmax_j(scale·q_g·k_j)·v_j` into
/// its head of `out`, and its largest scaled score and `Σ_j exp(score_j -
/// largest)` into `stats[g]`, what joining the attention of one query over
/// several spans of positions needs. `scores` is scratch space. Each key
/// and value is read and widened once for the whole group.
pub fn attend(
    q: &[f32],
    span: Span,
    scale: f32,
    scores: &mut Vec<f32>,
    out: &mut [f32],
    stats: &mut [(f32, f32)],
) {
    let n = stats.len();
    assert!(n > 0 && q.len().is_multiple_of(n), "attention queries");
    let hd = q.len() / n;
    assert_eq!(out.len(), q.len(), "attention output width");
    span.check(hd);
    #[cfg(target_arch = "x86_64")]
    if avx2() && hd.is_multiple_of(8) {
        let heads = q.chunks(4 * hd).zip(out.chunks_mut(4 * hd));
        for ((q, out), stats) in heads.zip(stats.chunks_mut(4)) {
            // SAFETY: the CPU supports AVX2, FMA and F16C (checked at run
            // time).
            unsafe {
                match stats.len() {
                    1 => x86::attend::<1, 4, 8>(q, span, scale, scores, out, stats),
                    2 => x86::attend::<2, 2, 4>(q, span, scale, scores, out, stats),
                    3 => x86::attend::<3, 2, 2>(q, span, scale, scores, out, stats),
                    _ => x86::attend::<4, 2, 2>(q, span, scale, scores, out, stats),
                }
            }
        }
        return;
    }
    let heads = q.chunks(hd).zip(out.chunks_mut(hd));
    for ((q, out), st) in heads.zip(stats) {
        *st = attend_portable(q, span, scale, scores, out);
    }
}

/// One query's [`attend`] on any CPU.
fn attend_portable(
    q: &[f32],
    span: Span,
    scale: f32,
    scores: &mut Vec<f32>,
    out: &mut [f32],
) -> (f32, f32) {
    let hd = q.len();
    let Span {
        keys,
        values,
        stride,
        len,
    } = span;
    let dot = |k: &[f16]| q.iter().zip(k).map(|(a, b)| a * b.to_f32()).sum::<f32>();
    scores.clear();
    scores.extend((0..len).map(|j| dot(&keys[j * stride..][..hd]) * scale));
    let max = scores.iter().fold(f32::NEG_INFINITY, |m, &v| m.max(v));
    let mut sum = 0f32;
    for s in scores.iter_mut() {
        *s = (*s - max).exp();
        sum += *s;
    }
    out.fill(0.0);
    let inv = 1.0 / sum;
    for (j, s) in scores.iter().enumerate() {
        let w = s * inv;
        for (o, v) in out.iter_mut().zip(&values[j * stride..][..hd]) {
            *o += w * v.to_f32();
        }
    }
    (max, sum)
}

#[cfg(target_arch = "x86_64")]
fn avx2() -> bool {
    use std::sync::OnceLock;
    static HAS: OnceLock<bool> = OnceLock::new();
    *HAS.get_or_init(|| {
        is_x86_feature_detected!("avx2")
            && is_x86_feature_detected!("fma")
            && is_x86_feature_detected!("f16c")
    })
}

/// The x86-64 kernels, for CPUs with AVX2, FMA and F16C. Each is a safe
/// function with those features enabled, which the portable entry points
/// above call only once the CPU is known to have them; the kernels assert
/// the lengths they rely on, and only their loads and stores through raw
/// pointers are `unsafe`.
#[cfg(target_arch = "x86_64")]
mod x86 {
    use std::arch::x86_64::*;

    use half::f16;

    use super::Span;
    use crate::model::simd::{f32_lanes, f32x8, hsum, store_f32x8};

    /// [`super::attend`] of a group of `G` queries whose heads are a
    /// multiple of 8 wide, in registers of eight lanes: the scores of `KB`
    /// keys at a time, each key widened once for the `G` queries, then the
    /// weighted sums of the values, `LC` registers of each query's output
    /// at a time over all the positions, each value widened once for the
    /// `G` queries.
    #[target_feature(enable = "avx2,fma,f16c")]
    pub(super) fn attend<const G: usize, const KB: usize, const LC: usize>(
        q: &[f32],
        span: Span,
        scale: f32,
        scores: &mut Vec<f32>,
        out: &mut [f32],
        stats: &mut [(f32, f32)],
    ) {
        let hd = q.len() / G;
        let len = span.len;
        assert!(stats.len() == G && out.len() == q.len() && hd.is_multiple_of(8));
        scores.clear();
        scores.resize(G * len, 0.0);
        let whole = score_keys::<G, KB>(q, span, scale, scores, 0);
        score_keys::<G, 1>(q, span, scale, scores, whole);
        let mut inv = [0f32; G];
        for (g, (st, inv)) in stats.iter_mut().zip(&mut inv).enumerate() {
            *st = exp_shifted(&mut scores[g * len..][..len]);
            *inv = 1.0 / st.1;
        }
        let lanes = hd / 8;
        let mut lane = 0;
        while lane + LC <= lanes {
            value_lanes::<G, LC>(scores, span, lane, &inv, out);
            lane += LC;
        }
        while lane < lanes {
            value_lanes::<G, 1>(scores, span, lane, &inv, out);
            lane += 1;
        }
    }

    /// The scaled scores of the `G` queries in `q` (each a `q.len() / G`
    /// wide head) against the keys from position `from`, `KB` keys at a
    /// time, into `scores` (query `g`'s at `g·len`); returns the first
    /// position not scored.
    #[target_feature(enable = "avx2,fma,f16c")]
    #[inline]
    fn score_keys<const G: usize, const KB: usize>(
        q: &[f32],
        span: Span,
        scale: f32,
        scores: &mut [f32],
        from: usize,
    ) -> usize {
        let hd = q.len() / G;
        let (stride, len) = (span.stride, span.len);
        assert!(hd.is_multiple_of(8) && scores.len() >= G * len);
        span.check(hd);
        let (kp, qp) = (span.keys.as_ptr(), q.as_ptr());
        let mut j = from;
        while j + KB <= len {
            let mut acc = [[_mm256_setzero_ps(); G]; KB];
            for k in 0..KB {
                prefetch_row(kp.wrapping_add((j + k + AHEAD) * stride), hd);
            }
            for i in (0..hd).step_by(8) {
                for (k, acc) in acc.iter_mut().enumerate() {
                    // SAFETY: key `j + k < len` starts at `(j + k)·stride`
                    // and the span holds `hd` values there (`span.check`);
                    // query `g < G` holds `hd` values at `g·hd`, and `i + 8
                    // ≤ hd`.
                    let key = unsafe { halves(kp.add((j + k) * stride + i)) };
                    for (g, a) in acc.iter_mut().enumerate() {
                        // SAFETY: as above.
                        let qv = unsafe { _mm256_loadu_ps(qp.add(g * hd + i)) };
                        *a = _mm256_fmadd_ps(qv, key, *a);
                    }
                }
            }
            // Four horizontal sums at once.
            for (c, four) in acc.as_flattened().chunks(4).enumerate() {
                let mut v = [_mm256_setzero_ps(); 4];
                v[..four.len()].copy_from_slice(four);
                let h = _mm256_hadd_ps(_mm256_hadd_ps(v[0], v[1]), _mm256_hadd_ps(v[2], v[3]));
                let sum = _mm_add_ps(_mm256_castps256_ps128(h), _mm256_extractf128_ps(h, 1));
                let got = to_array4(_mm_mul_ps(sum, _mm_set1_ps(scale)));
                for (x, &v) in got.iter().enumerate().take(four.len()) {
                    let (k, g) = ((4 * c + x) / G, (4 * c + x) % G);
                    scores[g * len + j + k] = v;
                }
            }
            j += KB;
        }
        j
    }

    /// Registers `lane..lane + LC` of each of the `G` queries' heads in
    /// `out` (each `out.len() / G` wide): the values weighted by `weights`
    /// (query `g`'s at `g·len`), summed over every position, times the
    /// query's `inv`.
    #[target_feature(enable = "avx2,fma,f16c")]
    #[inline]
    fn value_lanes<const G: usize, const LC: usize>(
        weights: &[f32],
        span: Span,
        lane: usize,
        inv: &[f32; G],
        out: &mut [f32],
    ) {
        let hd = out.len() / G;
        let (stride, len, at) = (span.stride, span.len, 8 * lane);
        assert!(at + 8 * LC <= hd && weights.len() >= G * len);
        span.check(hd);
        let vp = span.values[at..].as_ptr();
        let mut acc = [[_mm256_setzero_ps(); LC]; G];
        for j in 0..len {
            prefetch_row(vp.wrapping_add((j + AHEAD) * stride), 8 * LC);
            let mut v = [_mm256_setzero_ps(); LC];
            for (c, v) in v.iter_mut().enumerate() {
                // SAFETY: value `j < len` holds `hd` values from
                // `j·stride` (`span.check`), of which this reads `at + 8c
                // .. at + 8c + 8`, inside `at + 8·LC ≤ hd`.
                *v = unsafe { halves(vp.add(j * stride + 8 * c)) };
            }
            for (g, acc) in acc.iter_mut().enumerate() {
                let w = _mm256_set1_ps(weights[g * len + j]);
                for (a, v) in acc.iter_mut().zip(&v) {
                    *a = _mm256_fmadd_ps(w, *v, *a);
                }
            }
        }
        for (g, acc) in acc.iter().enumerate() {
            let inv = _mm256_set1_ps(inv[g]);
            for (c, a) in acc.iter().enumerate() {
                store_f32x8(out, g * hd + at + 8 * c, _mm256_mul_ps(*a, inv));
            }
        }
    }

    /// Keys and values this many positions ahead are asked for while the
    /// current ones are read: a head's rows are `stride` apart in the
    /// cache, a pattern the hardware prefetchers follow late.
    const AHEAD: usize = 8;

    /// Asks for the cache lines of the `width` values at `p`, which may lie
    /// past the cache: it is computed with wrapping arithmetic and never
    /// read.
    #[target_feature(enable = "avx2,fma,f16c")]
    #[inline]
    fn prefetch_row(p: *const f16, width: usize) {
        let mut at = 0;
        while at < width {
            // A hint: it never faults, whatever the address.
            _mm_prefetch::<_MM_HINT_T0>(p.wrapping_add(at) as *const i8);
            at += 32;
        }
    }

    /// The eight half-precision values at `p`, as f32.
    ///
    /// # Safety
    /// Eight values must be readable at `p`.
    #[target_feature(enable = "avx2,fma,f16c")]
    #[inline]
    unsafe fn halves(p: *const f16) -> __m256 {
        // SAFETY: the caller's promise.
        _mm256_cvtph_ps(unsafe { _mm_loadu_si128(p as *const __m128i) })
    }

    /// The four lanes of `v`.
    #[target_feature(enable = "avx2,fma")]
    #[inline]
    fn to_array4(v: __m128) -> [f32; 4] {
        let mut out = [0f32; 4];
        // SAFETY: `out` is 4 values long.
        unsafe { _mm_storeu_ps(out.as_mut_ptr(), v) };
        out
    }

    /// `exp(x)` in eight lanes: `2^n · p(r)` with `x = n·ln 2 + r`, `|r| ≤
    /// ln 2 / 2`, and Cephes' degree-5 polynomial for `exp(r)` (about 1 ulp
    /// where the result is a normal number; inputs are clamped to ±88.37).
    #[target_feature(enable = "avx2,fma")]
    #[inline]
    fn exp8(x: __m256) -> __m256 {
        let x = _mm256_min_ps(
            _mm256_max_ps(x, _mm256_set1_ps(-88.376)),
            _mm256_set1_ps(88.376),
        );
        let n = _mm256_round_ps(
            _mm256_mul_ps(x, _mm256_set1_ps(std::f32::consts::LOG2_E)),
            _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC,
        );
        let r = _mm256_fnmadd_ps(n, _mm256_set1_ps(0.693_359_4), x);
        let r = _mm256_fnmadd_ps(n, _mm256_set1_ps(-2.121_944_4e-4), r);
        let mut p = _mm256_set1_ps(1.987_569_1e-4);
        for c in [1.398_2e-3, 8.333_452e-3, 4.166_579_6e-2, 0.166_666_65, 0.5] {
            p = _mm256_fmadd_ps(p, r, _mm256_set1_ps(c));
        }
        let p = _mm256_fmadd_ps(
            p,
            _mm256_mul_ps(r, r),
            _mm256_add_ps(r, _mm256_set1_ps(1.0)),
        );
        // 2^n by the exponent bits; n + 127 stays within 1..254 after the
        // clamp except at the very bottom, where halving twice keeps it so.
        let n = _mm256_cvtps_epi32(n);
        let half = _mm256_srai_epi32(n, 1);
        let pow = |k: __m256i| {
            _mm256_castsi256_ps(_mm256_slli_epi32(
                _mm256_add_epi32(k, _mm256_set1_epi32(127)),
                23,
            ))
        };
        _mm256_mul_ps(_mm256_mul_ps(p, pow(half)), pow(_mm256_sub_epi32(n, half)))
    }

    /// Replaces each score `s` by `exp(s - max)` and returns `max` and
    /// their sum.
    #[target_feature(enable = "avx2,fma")]
    #[inline]
    fn exp_shifted(scores: &mut [f32]) -> (f32, f32) {
        let n = scores.len();
        let whole = n - n % 8;
        let max = max_of(scores);
        let vm = _mm256_set1_ps(max);
        let mut vsum = _mm256_setzero_ps();
        for i in (0..whole).step_by(8) {
            let e = exp8(_mm256_sub_ps(f32x8(scores, i), vm));
            store_f32x8(scores, i, e);
            vsum = _mm256_add_ps(vsum, e);
        }
        let mut sum: f32 = f32_lanes(vsum).iter().sum();
        for s in &mut scores[whole..] {
            *s = (*s - max).exp();
            sum += *s;
        }
        (max, sum)
    }

    /// The largest value of `x` (minus infinity when empty).
    #[target_feature(enable = "avx2,fma")]
    #[inline]
    fn max_of(x: &[f32]) -> f32 {
        let whole = x.len() - x.len() % 8;
        let mut v = _mm256_set1_ps(f32::NEG_INFINITY);
        for i in (0..whole).step_by(8) {
            v = _mm256_max_ps(v, f32x8(x, i));
        }
        let m = _mm_max_ps(_mm256_castps256_ps128(v), _mm256_extractf128_ps(v, 1));
        let m = _mm_max_ps(m, _mm_movehl_ps(m, m));
        let m = _mm_cvtss_f32(_mm_max_ss(m, _mm_shuffle_ps(m, m, 1)));
        x[whole..].iter().fold(m, |m, &v| m.max(v))
    }

    #[target_feature(enable = "avx2,fma")]
    pub(super) fn softmax_stats(x: &[f32]) -> (f32, usize, f64) {
        let n = x.len();
        let whole = n - n % 8;
        let max = max_of(x);
        let vm = _mm256_set1_ps(max);
        let mut first = None;
        let mut lo = _mm256_setzero_pd();
        let mut hi = _mm256_setzero_pd();
        for i in (0..whole).step_by(8) {
            let v = f32x8(x, i);
            if first.is_none() {
                let hits = _mm256_movemask_ps(_mm256_cmp_ps::<_CMP_EQ_OQ>(v, vm));
                if hits != 0 {
                    first = Some(i + hits.trailing_zeros() as usize);
                }
            }
            let e = exp8(_mm256_sub_ps(v, vm));
            lo = _mm256_add_pd(lo, _mm256_cvtps_pd(_mm256_castps256_ps128(e)));
            hi = _mm256_add_pd(hi, _mm256_cvtps_pd(_mm256_extractf128_ps(e, 1)));
        }
        let mut lanes = [0f64; 4];
        // SAFETY: `lanes` is 4 values long.
        unsafe { _mm256_storeu_pd(lanes.as_mut_ptr(), _mm256_add_pd(lo, hi)) };
        let mut sum: f64 = lanes.iter().sum();
        for (i, &v) in x.iter().enumerate().skip(whole) {
            if first.is_none() && v == max {
                first = Some(i);
            }
            sum += f64::from((v - max).exp());
        }
        (max, first.unwrap_or(0), sum)
    }

    #[target_feature(enable = "avx2,fma")]
    pub(super) fn silu_mul(gate: &mut [f32], up: &[f32]) {
        let n = gate.len().min(up.len());
        let whole = n - n % 8;
        let one = _mm256_set1_ps(1.0);
        for i in (0..whole).step_by(8) {
            let g = f32x8(gate, i);
            let e = exp8(_mm256_sub_ps(_mm256_setzero_ps(), g));
            let silu = _mm256_div_ps(g, _mm256_add_ps(one, e));
            store_f32x8(gate, i, _mm256_mul_ps(silu, f32x8(up, i)));
        }
        for i in whole..n {
            gate[i] = gate[i] / (1.0 + (-gate[i]).exp()) * up[i];
        }
    }

    #[inline]
    #[target_feature(enable = "avx2,fma")]
    pub(super) fn dot(a: &[f32], b: &[f32]) -> f32 {
        let n = a.len().min(b.len());
        let (a, b) = (&a[..n], &b[..n]);
        let mut acc0 = _mm256_setzero_ps();
        let mut acc1 = _mm256_setzero_ps();
        let mut i = 0;
        while i + 16 <= n {
            acc0 = _mm256_fmadd_ps(f32x8(a, i), f32x8(b, i), acc0);
            acc1 = _mm256_fmadd_ps(f32x8(a, i + 8), f32x8(b, i + 8), acc1);
            i += 16;
        }
        while i + 8 <= n {
            acc0 = _mm256_fmadd_ps(f32x8(a, i), f32x8(b, i), acc0);
            i += 8;
        }
        let mut total = hsum(_mm256_add_ps(acc0, acc1));
        while i < n {
            total += a[i] * b[i];
            i += 1;
        }
        total
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn vector_exp_matches_the_library_exp() {
        let x: Vec<f32> = (0..20_011)
            .map(|i| (i as f32 - 17_000.0) * 0.0053)
            .collect();
        let (max, first, sum) = softmax_stats(&x);
        let want_max = x.iter().fold(f32::NEG_INFINITY, |m, &v| m.max(v));
        let want: f64 = x.iter().map(|&v| f64::from((v - want_max).exp())).sum();
        assert_eq!((max, first), (want_max, x.len() - 1));
        assert!((sum - want).abs() / want < 1e-6, "{sum} vs {want}");

        let mut ties = vec![0.5f32; 37];
        ties[9] = 2.0;
        ties[30] = 2.0;
        assert_eq!(softmax_stats(&ties).1, 9);

        let g: Vec<f32> = (0..1001).map(|i| (i as f32 - 500.0) * 0.21).collect();
        let u: Vec<f32> = (0..1001).map(|i| 1.0 + i as f32 * 1e-3).collect();
        let mut out = g.clone();
        silu_mul(&mut out, &u);
        for ((o, g), u) in out.iter().zip(&g).zip(&u) {
            let want = g / (1.0 + (-g).exp()) * u;
            assert!(
                (o - want).abs() <= 2e-6 * want.abs().max(1e-3),
                "silu({g}): {o} vs {want}"
            );
        }
    }

    #[test]
    fn kernels_match_plain_loops() {
        let a: Vec<f32> = (0..37).map(|i| i as f32 * 0.5 - 3.0).collect();
        let b: Vec<f32> = (0..37).map(|i| 1.0 - i as f32 * 0.25).collect();
        let want: f32 = a.iter().zip(&b).map(|(x, y)| x * y).sum();
        assert!((dot(&a, &b) - want).abs() < 1e-3);
    }

    #[test]
    fn attention_is_a_softmax_weighted_sum() {
        // Two positions of a 2-wide head, stored with a stride of 3.
        let half = |v: [f32; 6]| v.map(f16::from_f32);
        let q = [1.0, 0.0];
        let keys = half([1.0, 0.0, 9.0, 0.0, 0.0, 9.0]);
        let values = half([1.0, 2.0, 9.0, 3.0, 4.0, 9.0]);
        let mut out = [0.0; 2];
        let mut stats = [(0.0, 0.0)];
        let span = Span {
            keys: &keys,
            values: &values,
            stride: 3,
            len: 2,
        };
        attend(&q, span, 1.0, &mut Vec::new(), &mut out, &mut stats);
        let (e1, e0) = (1f32.exp(), 1.0);
        let w = [e1 / (e1 + e0), e0 / (e1 + e0)];
        assert!((out[0] - (w[0] * 1.0 + w[1] * 3.0)).abs() < 1e-6);
        assert!((out[1] - (w[0] * 2.0 + w[1] * 4.0)).abs() < 1e-6);
        assert!((stats[0].0 - 1.0).abs() < 1e-6 && (stats[0].1 - (1.0 + 1.0 / e1)).abs() < 1e-6);
    }

    #[test]
    fn grouped_attention_matches_each_query_alone() {
        // Groups of 1 to 9 queries (every kernel, and groups split into
        // fours), heads 8 to 256 wide (whole and partial runs of output
        // registers), spans of 1 to 300 positions (every tail of the keys
        // taken a few at a time), with a stride of three heads.
        let wave =
            |n: usize, k: f32| -> Vec<f32> { (0..n).map(|i| (i as f32 * k).sin()).collect() };
        let half = |v: Vec<f32>| v.into_iter().map(f16::from_f32).collect::<Vec<_>>();
        for (hd, group, len) in [
            (64, 3, 11),
            (64, 3, 300),
            (64, 1, 7),
            (64, 2, 5),
            (256, 4, 13),
            (256, 1, 1),
            (128, 7, 9),
            (96, 9, 6),
            (8, 5, 3),
            (72, 6, 2),
            (40, 2, 4),
        ] {
            let stride = 3 * hd;
            let q = wave(group * hd, 0.37);
            let keys = half(wave(stride * len, 0.11));
            let values = half(wave(stride * len, 0.23));
            let span = Span {
                keys: &keys,
                values: &values,
                stride,
                len,
            };
            let mut got = vec![0.0; group * hd];
            let mut stats = vec![(0.0, 0.0); group];
            attend(&q, span, 0.125, &mut Vec::new(), &mut got, &mut stats);
            for g in 0..group {
                let mut want = vec![0.0; hd];
                let head = &q[g * hd..][..hd];
                let st = attend_portable(head, span, 0.125, &mut Vec::new(), &mut want);
                let case = format!("head {hd}, group {group}, len {len}, query {g}");
                assert!((stats[g].0 - st.0).abs() < 1e-5, "{case}: max");
                assert!((stats[g].1 - st.1).abs() < 1e-4 * st.1, "{case}: sum");
                for (a, b) in got[g * hd..][..hd].iter().zip(&want) {
                    assert!((a - b).abs() < 1e-5, "{case}: {a} vs {b}");
                }
            }
        }
    }
}
