//! The operations decoder architectures share: RMSNorm (over the hidden
//! state or head by head), rotary embeddings, causal attention over the
//! key/value cache (with an optional sliding window), gated MLPs, softcapping.
//! Each architecture (`arch`) composes its layer from these.

use std::cell::RefCell;
use std::ops::Range;

use half::f16;

use super::config::RopeLayout;
use super::team;
use super::vector::{self, Span, attend, dot};

/// RMSNorm of each row of `x` (rows of `weight.len()`) into `out`.
pub fn rms_norm(x: &[f32], weight: &[f32], eps: f32, out: &mut [f32]) {
    let d = weight.len();
    assert_eq!(x.len(), out.len(), "norm shape");
    for (row, dst) in x.chunks(d).zip(out.chunks_mut(d)) {
        let ms = dot(row, row) / d as f32;
        let scale = 1.0 / (ms + eps).sqrt();
        for ((o, v), w) in dst.iter_mut().zip(row).zip(weight) {
            *o = v * scale * w;
        }
    }
}

/// RMSNorm in place of every head (`weight.len()` values) of `x`.
pub fn rms_norm_in_place(x: &mut [f32], weight: &[f32], eps: f32) {
    let d = weight.len();
    for row in x.chunks_mut(d) {
        let ms = dot(row, row) / d as f32;
        let scale = 1.0 / (ms + eps).sqrt();
        for (v, w) in row.iter_mut().zip(weight) {
            *v *= scale * w;
        }
    }
}

pub fn add(x: &mut [f32], y: &[f32]) {
    for (a, b) in x.iter_mut().zip(y) {
        *a += b;
    }
}

pub fn add_bias(x: &mut [f32], bias: Option<&[f32]>) {
    if let Some(b) = bias {
        for row in x.chunks_mut(b.len()) {
            add(row, b);
        }
    }
}

/// `gate = silu(gate) * up`, over the pool for a batch (rows of `width`).
pub fn silu_mul(gate: &mut [f32], up: &[f32], width: usize) {
    if gate.len() >= 8 * width {
        team::for_each_chunk(gate, width, |i, g| {
            vector::silu_mul(g, &up[i * width..][..width])
        });
    } else {
        vector::silu_mul(gate, up);
    }
}

/// `gate = gelu(gate) * up` with the tanh approximation of GELU.
pub fn gelu_mul(gate: &mut [f32], up: &[f32], width: usize) {
    let one = |g: &mut [f32], u: &[f32]| {
        const C: f32 = 0.797_884_6; // sqrt(2 / pi)
        for (g, u) in g.iter_mut().zip(u) {
            let x = *g;
            *g = 0.5 * x * (1.0 + (C * (x + 0.044715 * x * x * x)).tanh()) * u;
        }
    };
    if gate.len() >= 8 * width {
        team::for_each_chunk(gate, width, |i, g| one(g, &up[i * width..][..width]));
    } else {
        one(gate, up);
    }
}

/// `cap · tanh(x / cap)` of each value.
pub fn softcap(x: &mut [f32], cap: f32) {
    for v in x {
        *v = cap * (*v / cap).tanh();
    }
}

/// Rotary frequencies `theta^(-2i/d)` of a head of `head_dim`, divided by
/// `scale` and by any per-frequency factors.
pub fn rope_frequencies(
    theta: f32,
    head_dim: usize,
    scale: f32,
    factors: Option<&[f32]>,
) -> Vec<f32> {
    (0..head_dim / 2)
        .map(|i| {
            let f = theta.powf(-2.0 * i as f32 / head_dim as f32) / scale;
            f / factors.and_then(|v| v.get(i)).copied().unwrap_or(1.0)
        })
        .collect()
}

/// cos and sin of every (position, frequency) of a chunk.
pub struct RopeTable {
    table: Vec<(f32, f32)>,
    half: usize,
    /// The width of a head, of which the first `2 * half` dimensions rotate
    /// (all of them but in Phi-3 files with a partial rotary dimension).
    head_dim: usize,
}

impl RopeTable {
    pub fn new(inv_freq: &[f32], positions: &[usize], head_dim: usize) -> RopeTable {
        assert!(2 * inv_freq.len() <= head_dim, "rotary dimension");
        let mut table = Vec::with_capacity(positions.len() * inv_freq.len());
        for &p in positions {
            for f in inv_freq {
                let theta = p as f32 * f;
                table.push((theta.cos(), theta.sin()));
            }
        }
        RopeTable {
            table,
            half: inv_freq.len(),
            head_dim,
        }
    }

    /// Rotates every head of each of the `t` rows of `x`.
    pub fn apply(&self, x: &mut [f32], t: usize, layout: RopeLayout) {
        let half = self.half;
        let hd = self.head_dim;
        let per_token = x.len() / t;
        assert!(self.table.len() >= t * half, "rotary table");
        for (p, token) in x.chunks_mut(per_token).enumerate() {
            let rot = &self.table[p * half..(p + 1) * half];
            for head in token.chunks_mut(hd) {
                for (i, &(cos, sin)) in rot.iter().enumerate() {
                    let (a, b) = match layout {
                        RopeLayout::Interleaved => (2 * i, 2 * i + 1),
                        RopeLayout::Halves => (i, i + half),
                    };
                    let (x0, x1) = (head[a], head[b]);
                    head[a] = x0 * cos - x1 * sin;
                    head[b] = x0 * sin + x1 * cos;
                }
            }
        }
    }
}

/// The shape of one layer's attention.
#[derive(Clone, Copy)]
pub struct Attention {
    pub heads: usize,
    pub kv_heads: usize,
    pub head_dim: usize,
    /// Multiplies the query·key products.
    pub scale: f32,
    /// How many positions (the query's own included) a query sees; all of
    /// them when `None`.
    pub window: Option<usize>,
}

impl Attention {
    /// Causal attention of `t` queries (`q`, at positions `start..start + t`)
    /// over the cache's `keys` and `values` (every position up to the last
    /// query's), into `out`.
    pub fn run(
        &self,
        q: &[f32],
        keys: &[f16],
        values: &[f16],
        start: usize,
        t: usize,
        out: &mut [f32],
    ) {
        let (hd, heads) = (self.head_dim, self.heads);
        let kvd = self.kv_heads * hd;
        assert_eq!(q.len(), t * heads * hd, "queries");
        assert_eq!(out.len(), q.len(), "attention output");
        assert!(keys.len() >= (start + t) * kvd, "keys");
        assert!(values.len() >= (start + t) * kvd, "values");
        let group = heads / self.kv_heads;
        // One item: the `group` query heads of one token that share one
        // key/value head.
        let one = |scratch: &mut Scratch, (idx, dst): (usize, &mut [f32])| {
            let (tok, kv) = (idx / self.kv_heads, idx % self.kv_heads);
            let qs = &q[(tok * heads + kv * group) * hd..][..group * hd];
            let len = start + tok + 1;
            let first = self.window.map_or(0, |w| len.saturating_sub(w));
            let span = self.span(keys, values, kv, first..len);
            scratch.attend(qs, group, span, self.scale, dst);
        };
        // Multiply-adds of the whole step; a decode step over a long context
        // is worth splitting over the heads too.
        let work = t * heads * (start + t) * hd;
        let len = start + t;
        if t == 1 && len >= SPLIT_FROM && team::threads() > 1 {
            return self.decode_split(q, keys, values, len, out);
        }
        let width = group * hd;
        if work < 1 << 16 {
            Scratch::with(|scratch| {
                out.chunks_mut(width)
                    .enumerate()
                    .for_each(|item| one(scratch, item))
            });
        } else {
            let items = out.len() / width;
            let per = items.div_ceil(team::threads() * 8).max(1);
            team::for_each_chunk(out, per * width, |p, piece| {
                Scratch::with(|scratch| {
                    for (j, dst) in piece.chunks_mut(width).enumerate() {
                        one(scratch, (p * per + j, dst));
                    }
                })
            });
        }
    }

    /// The span of key/value head `kv`'s keys and values over `positions`.
    fn span<'a>(
        &self,
        keys: &'a [f16],
        values: &'a [f16],
        kv: usize,
        positions: Range<usize>,
    ) -> Span<'a> {
        let stride = self.kv_heads * self.head_dim;
        let at = positions.start * stride + kv * self.head_dim;
        Span {
            keys: &keys[at..],
            values: &values[at..],
            stride,
            len: positions.len(),
        }
    }
}

/// Scratch space of attention, one per thread and kept from one call to the
/// next, so that a decode step allocates nothing.
#[derive(Default)]
struct Scratch {
    scores: Vec<f32>,
    stats: Vec<(f32, f32)>,
}

impl Scratch {
    /// Runs `f` with this thread's scratch space.
    fn with<R>(f: impl FnOnce(&mut Scratch) -> R) -> R {
        thread_local! {
            static SCRATCH: RefCell<Scratch> = RefCell::default();
        }
        SCRATCH.with_borrow_mut(f)
    }

    /// [`attend`] of the `heads` queries in `qs` over `span`, into `out`;
    /// each query's largest score and sum are left in `self.stats`.
    fn attend(&mut self, qs: &[f32], heads: usize, span: Span, scale: f32, out: &mut [f32]) {
        self.stats.resize(heads, (0.0, 0.0));
        attend(qs, span, scale, &mut self.scores, out, &mut self.stats);
    }
}

/// Context length from which a decode step's attention is split over spans
/// of positions as well as over key/value heads.
const SPLIT_FROM: usize = 256;

/// Spans of positions one decode step's attention is split into.
const SPANS: usize = 2;

impl Attention {
    /// One query's attention over `len` positions, as the parts of a team:
    /// each part takes one key/value head and one span of positions, for
    /// every query head that shares that key/value head, so that the keys
    /// and values are fetched from memory once per step and the parts
    /// stay balanced when there are fewer key/value heads than threads.
    /// The spans' softmaxes are then joined exactly: each span's output
    /// weighted by its share `Σ exp(score - max)` of the whole.
    fn decode_split(&self, q: &[f32], keys: &[f16], values: &[f16], len: usize, out: &mut [f32]) {
        let (hd, heads) = (self.head_dim, self.heads);
        let group = heads / self.kv_heads;
        let first = self.window.map_or(0, |w| len.saturating_sub(w));
        let span = (len - first).div_ceil(SPANS);
        // Per part: `group` outputs, then each one's largest score and sum.
        let width = group * (hd + 2);
        let mut parts = vec![0f32; self.kv_heads * SPANS * width];
        team::for_each_chunk(&mut parts, width, |p, part| {
            let (kv, s) = (p / SPANS, p % SPANS);
            let from = first + s * span;
            let to = (from + span).min(len);
            let (outs, stats) = part.split_at_mut(group * hd);
            if from >= to {
                // An empty span weighs nothing.
                stats
                    .chunks_exact_mut(2)
                    .for_each(|st| st.copy_from_slice(&[f32::NEG_INFINITY, 0.0]));
                return;
            }
            let span = self.span(keys, values, kv, from..to);
            let qs = &q[kv * group * hd..][..group * hd];
            Scratch::with(|scratch| {
                scratch.attend(qs, group, span, self.scale, outs);
                for (st, &(max, sum)) in stats.chunks_exact_mut(2).zip(&scratch.stats) {
                    st.copy_from_slice(&[max, sum]);
                }
            });
        });
        for (h, dst) in out.chunks_exact_mut(hd).enumerate() {
            let (kv, g) = (h / group, h % group);
            let part = |s: usize| &parts[(kv * SPANS + s) * width..][..width];
            let stat = |s: usize| (part(s)[group * hd + 2 * g], part(s)[group * hd + 2 * g + 1]);
            let max = (0..SPANS)
                .map(|s| stat(s).0)
                .fold(f32::NEG_INFINITY, f32::max);
            let weights: [f32; SPANS] = std::array::from_fn(|s| {
                let (m, sum) = stat(s);
                if sum == 0.0 {
                    0.0
                } else {
                    sum * (m - max).exp()
                }
            });
            let total: f32 = weights.iter().sum();
            dst.fill(0.0);
            for (s, w) in weights.iter().enumerate() {
                let src = &part(s)[g * hd..][..hd];
                for (d, v) in dst.iter_mut().zip(src) {
                    *d += w / total * v;
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::tests::random as values;

    #[test]
    fn a_decode_step_split_over_spans_equals_each_head_whole() {
        // Nine query heads on three key/value heads, as SmolLM2's; contexts
        // below and past the split, odd and even, with and without a window.
        let (heads, kv_heads, hd) = (9, 3, 64);
        for (len, window) in [
            (300, None),
            (301, None),
            (257, Some(100)),
            (600, Some(500)),
            (256, Some(2)),
        ] {
            let att = Attention {
                heads,
                kv_heads,
                head_dim: hd,
                scale: 0.125,
                window,
            };
            let kvd = kv_heads * hd;
            let q = values(heads * hd, len as u64);
            let half = |v: Vec<f32>| v.into_iter().map(f16::from_f32).collect::<Vec<_>>();
            let keys = half(values(len * kvd, 1 + len as u64));
            let vals = half(values(len * kvd, 2 + len as u64));
            let mut split = vec![0f32; heads * hd];
            att.decode_split(&q, &keys, &vals, len, &mut split);
            let first = window.map_or(0, |w| len.saturating_sub(w));
            for h in 0..heads {
                let mut whole = vec![0f32; hd];
                let span = att.span(&keys, &vals, h / (heads / kv_heads), first..len);
                let mut stats = [(0.0, 0.0)];
                let head = &q[h * hd..][..hd];
                attend(head, span, 0.125, &mut Vec::new(), &mut whole, &mut stats);
                for (a, b) in split[h * hd..][..hd].iter().zip(&whole) {
                    assert!(
                        (a - b).abs() <= 1e-5 * b.abs().max(1.0),
                        "{len} {window:?} head {h}: {a} vs {b}"
                    );
                }
            }
        }
    }
}
