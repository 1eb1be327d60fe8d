//! The operations decoder architectures share: RMSNorm (over the hidden
//! state or head by head), rotary embeddings, causal attention over the
//! key/value cache (with an optional sliding window), gated MLPs, softcapping.
//! Each architecture (`arch`) composes its layer from these.

use super::config::RopeLayout;
use super::team;
use super::vector::{self, attend, dot};

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
        keys: &[f32],
        values: &[f32],
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
        let one = |scores: &mut Vec<f32>, (idx, dst): (usize, &mut [f32])| {
            let (tok, h) = (idx / heads, idx % heads);
            let qv = &q[tok * heads * hd + h * hd..][..hd];
            let kv_off = (h / group) * hd;
            let len = start + tok + 1;
            let first = self.window.map_or(0, |w| len.saturating_sub(w));
            let at = first * kvd + kv_off;
            attend(
                qv,
                &keys[at..],
                &values[at..],
                kvd,
                len - first,
                self.scale,
                scores,
                dst,
            );
        };
        // Multiply-adds of the whole step; a decode step over a long context
        // is worth splitting over the heads too.
        let work = t * heads * (start + t) * hd;
        if work < 1 << 16 {
            let mut scores = Vec::new();
            out.chunks_mut(hd)
                .enumerate()
                .for_each(|item| one(&mut scores, item));
        } else {
            let items = out.len() / hd;
            let per = items.div_ceil(team::threads() * 8).max(2);
            team::for_each_chunk(out, per * hd, |p, piece| {
                let mut scores = Vec::new();
                for (j, dst) in piece.chunks_mut(hd).enumerate() {
                    one(&mut scores, (p * per + j, dst));
                }
            });
        }
    }
}
