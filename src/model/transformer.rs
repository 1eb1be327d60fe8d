//! A decoder: embedding, `layers` (each its architecture's, `arch`), final
//! norm, output projection; the batching, key/value cache and scoring every
//! architecture shares.
//!
//! Shaped for both of its uses: [`Transformer::forward`] runs a batch of
//! tokens through the layers (extending a [`KvCache`]) and returns the final
//! hidden state only at the positions asked for; [`Transformer::logits`]
//! projects those onto the vocabulary. Generation asks for the last position;
//! evaluation asks for every scored one, and never pays the vocabulary
//! projection for the others.

use half::f16;
use half::slice::HalfFloatSliceExt;

use super::arch::{DecoderLayer, Scratch};
use super::config::DecoderConfig;
use super::matmul::Matrix;
use super::ops::{self, RopeTable};
use super::vector;
use crate::error::{Error, Result};

/// Tokens run through the layers together; longer inputs go in chunks so
/// that activation memory stays bounded.
pub const MAX_BATCH: usize = 256;

pub struct Transformer {
    pub config: DecoderConfig,
    pub embedding: Matrix,
    /// What the embedding rows are multiplied by, if anything.
    pub embedding_scale: Option<f32>,
    pub layers: Vec<Box<dyn DecoderLayer>>,
    pub norm: Vec<f32>,
    /// The output projection; `None` when tied to the embedding.
    pub output: Option<Matrix>,
    /// Per-dimension rotary frequencies of each rotary base the layers use
    /// (the global one first).
    pub ropes: Vec<Vec<f32>>,
}

/// Keys and values of every layer for the positions seen so far, in half
/// precision (as llama.cpp keeps them): a decode step over a long context
/// reads the whole cache, and half the bytes is close to half the time.
#[derive(Default, Clone)]
pub struct KvCache {
    keys: Vec<Vec<f16>>,
    values: Vec<Vec<f16>>,
    len: usize,
}

impl KvCache {
    pub fn new(layers: usize) -> KvCache {
        KvCache {
            keys: vec![Vec::new(); layers],
            values: vec![Vec::new(); layers],
            len: 0,
        }
    }

    /// Positions held.
    pub fn len(&self) -> usize {
        self.len
    }

    pub fn is_empty(&self) -> bool {
        self.len == 0
    }
}

impl Transformer {
    pub fn new_cache(&self) -> KvCache {
        KvCache::new(self.config.layers)
    }

    /// Runs `tokens` after what `cache` holds and returns the final
    /// (normalised) hidden state at each index of `want` (indices into
    /// `tokens`, ascending), `want.len() × hidden` values.
    pub fn forward(&self, tokens: &[u32], cache: &mut KvCache, want: &[usize]) -> Result<Vec<f32>> {
        self.forward_all(tokens, cache, want)
    }

    fn forward_all(&self, tokens: &[u32], cache: &mut KvCache, want: &[usize]) -> Result<Vec<f32>> {
        self.check_vocab(tokens)?;
        let d = self.config.hidden;
        let mut out = Vec::with_capacity(want.len() * d);
        for (c, chunk) in tokens.chunks(MAX_BATCH).enumerate() {
            let start = c * MAX_BATCH;
            let local: Vec<usize> = want
                .iter()
                .filter(|&&w| w >= start && w < start + chunk.len())
                .map(|w| w - start)
                .collect();
            out.extend(self.forward_chunk(chunk, cache, &local));
        }
        Ok(out)
    }

    /// Vocabulary logits for `n` hidden states (`n × vocab`).
    pub fn logits(&self, hidden: &[f32], n: usize) -> Vec<f32> {
        let head = self.output.as_ref().unwrap_or(&self.embedding);
        let mut out = vec![0f32; n * head.rows()];
        head.matmul(hidden, n, &mut out);
        if let Some(cap) = self.config.final_softcap {
            ops::softcap(&mut out, cap);
        }
        out
    }

    /// For each of `n` hidden states, the log-probability of its target
    /// token under the vocabulary softmax and whether the target is the most
    /// likely token (the first one on ties). The logits are never stored
    /// whole: each part of the vocabulary keeps a running maximum and sum of
    /// exponentials per row, and the parts are combined in vocabulary order,
    /// so the result does not depend on the thread count.
    pub fn target_scores(&self, hidden: &[f32], targets: &[u32]) -> Vec<(f32, bool)> {
        let head = self.output.as_ref().unwrap_or(&self.embedding);
        let n = targets.len();
        let parts = head.fold_rows(
            hidden,
            n,
            || vec![Softmax::EMPTY; n],
            |state, rows, out| {
                let len = rows.len();
                let mut capped = Vec::new();
                let out = match self.config.final_softcap {
                    Some(cap) => {
                        capped.extend_from_slice(out);
                        ops::softcap(&mut capped, cap);
                        &capped
                    }
                    None => out,
                };
                for ((s, t), values) in state.iter_mut().zip(targets).zip(out.chunks(len)) {
                    s.absorb(rows.start, values, *t as usize);
                }
            },
        );
        let mut total = vec![Softmax::EMPTY; n];
        for part in parts {
            for (a, b) in total.iter_mut().zip(part) {
                a.merge(&b);
            }
        }
        total
            .iter()
            .zip(targets)
            .map(|(s, &t)| (s.log_prob(), s.first == t as usize))
            .collect()
    }

    /// Runs `prefix` from an empty cache and then each branch as if it alone
    /// followed the prefix, all in one batch where they fit, and returns the
    /// final hidden state of the prefix's last token and of every token of
    /// every branch (in order). This is how the choices of a question share
    /// their context: evaluated once, in the same pass as the choices.
    pub fn forward_branches(&self, prefix: &[u32], branches: &[&[u32]]) -> Result<Vec<f32>> {
        let total: usize = branches.iter().map(|b| b.len()).sum();
        let last = prefix.len().saturating_sub(1);
        let tokens: Vec<u32> = prefix
            .iter()
            .chain(branches.iter().flat_map(|b| b.iter()))
            .copied()
            .collect();
        self.check_vocab(&tokens)?;
        if prefix.is_empty() || tokens.len() > MAX_BATCH {
            // The prefix on its own, then one batch per branch.
            let mut cache = self.new_cache();
            let mut out = self.forward(prefix, &mut cache, &[last])?;
            for b in branches {
                let mut own = cache.clone();
                let want: Vec<usize> = (0..b.len()).collect();
                out.extend(self.forward(b, &mut own, &want)?);
            }
            return Ok(out);
        }
        let lens: Vec<usize> = branches.iter().map(|b| b.len()).collect();
        let want: Vec<usize> = std::iter::once(last)
            .chain(prefix.len()..prefix.len() + total)
            .collect();
        let mut cache = self.new_cache();
        let layout = Layout::Branches {
            prefix: prefix.len(),
            lens: &lens,
        };
        Ok(self.forward_chunk_in(&tokens, &mut cache, &want, layout))
    }

    fn check_vocab(&self, tokens: &[u32]) -> Result<()> {
        let vocab = self.embedding.rows();
        if let Some(bad) = tokens.iter().find(|&&t| t as usize >= vocab) {
            return Err(Error::Other(format!(
                "token id {bad} is outside the model's vocabulary of {vocab}: the tokenizer does not match the model"
            )));
        }
        Ok(())
    }

    fn forward_chunk(&self, tokens: &[u32], cache: &mut KvCache, want: &[usize]) -> Vec<f32> {
        self.forward_chunk_in(tokens, cache, want, Layout::Sequence)
    }

    /// One batch through the layers, laid out as `layout` says.
    fn forward_chunk_in(
        &self,
        tokens: &[u32],
        cache: &mut KvCache,
        want: &[usize],
        layout: Layout,
    ) -> Vec<f32> {
        let c = &self.config;
        let t = tokens.len();
        let (d, qd, kvd) = (c.hidden, c.q_dim(), c.kv_dim());
        let mut s = Scratch::new(c, t);
        for (row, &tok) in s.x.chunks_mut(d).zip(tokens) {
            self.embedding.row(tok as usize, row);
            if let Some(scale) = self.embedding_scale {
                row.iter_mut().for_each(|v| *v *= scale);
            }
        }
        let start = cache.len;
        let (prefix, lens): (usize, &[usize]) = match layout {
            Layout::Sequence => (t, &[]),
            Layout::Branches { prefix, lens } => (prefix, lens),
        };
        let base = start + prefix;
        let positions: Vec<usize> = (start..base)
            .chain(lens.iter().flat_map(|&n| base..base + n))
            .collect();
        let ropes: Vec<RopeTable> = self
            .ropes
            .iter()
            .map(|f| RopeTable::new(f, &positions, c.head_dim))
            .collect();
        for (l, layer) in self.layers.iter().enumerate() {
            layer.attention_inputs(c, &mut s, t, &ropes);
            let attention = layer.attention(c);
            let (keys, values) = (&mut cache.keys[l], &mut cache.values[l]);
            extend_half(keys, &s.k[..prefix * kvd]);
            extend_half(values, &s.v[..prefix * kvd]);
            attention.run(
                &s.q[..prefix * qd],
                keys,
                values,
                start,
                prefix,
                &mut s.att[..prefix * qd],
            );
            let mut first = prefix;
            for &n in lens {
                let rows = first..first + n;
                keys.truncate(base * kvd);
                values.truncate(base * kvd);
                extend_half(keys, &s.k[rows.start * kvd..rows.end * kvd]);
                extend_half(values, &s.v[rows.start * kvd..rows.end * kvd]);
                attention.run(
                    &s.q[rows.start * qd..rows.end * qd],
                    keys,
                    values,
                    base,
                    n,
                    &mut s.att[rows.start * qd..rows.end * qd],
                );
                first += n;
            }
            keys.truncate(base * kvd);
            values.truncate(base * kvd);
            layer.finish(c, &mut s, t);
        }
        cache.len = base;
        let mut out = vec![0f32; want.len() * d];
        for (dst, &w) in out.chunks_mut(d).zip(want) {
            ops::rms_norm(&s.x[w * d..(w + 1) * d], &self.norm, c.rms_eps, dst);
        }
        out
    }
}

/// Appends `x` to `cache`, rounded to half precision.
fn extend_half(cache: &mut Vec<f16>, x: &[f32]) {
    let at = cache.len();
    cache.resize(at + x.len(), f16::ZERO);
    cache[at..].convert_from_f32_slice(x);
}

/// How the tokens of a batch attend to each other.
#[derive(Clone, Copy)]
enum Layout<'a> {
    /// One sequence extending the cache.
    Sequence,
    /// A prefix extending the cache, then branches of these lengths, each
    /// attending to the cache, the prefix and itself only, at positions
    /// after the prefix; the cache keeps the prefix only.
    Branches { prefix: usize, lens: &'a [usize] },
}

/// A log-softmax over a vocabulary seen a range at a time.
#[derive(Clone, Copy)]
struct Softmax {
    /// The largest logit so far and the first index holding it.
    max: f32,
    first: usize,
    /// `Σ exp(logit - max)` over the logits so far.
    sum: f64,
    /// The target's logit, once seen.
    target: f32,
}

impl Softmax {
    const EMPTY: Softmax = Softmax {
        max: f32::NEG_INFINITY,
        first: 0,
        sum: 0.0,
        target: f32::NAN,
    };

    /// Takes in the logits of rows `start..start + values.len()`.
    fn absorb(&mut self, start: usize, values: &[f32], target: usize) {
        if (start..start + values.len()).contains(&target) {
            self.target = values[target - start];
        }
        let (max, first, sum) = vector::softmax_stats(values);
        self.merge(&Softmax {
            max,
            first: start + first,
            sum,
            target: f32::NAN,
        });
    }

    /// Combines with the state of logits that come after these. From an
    /// empty state (`max` minus infinity, `sum` 0) the general case gives
    /// `later` itself.
    fn merge(&mut self, later: &Softmax) {
        if self.target.is_nan() {
            self.target = later.target;
        }
        if later.sum == 0.0 {
            return;
        }
        if later.max > self.max {
            self.sum = self.sum * f64::from(self.max - later.max).exp() + later.sum;
            self.max = later.max;
            self.first = later.first;
        } else {
            self.sum += later.sum * f64::from(later.max - self.max).exp();
        }
    }

    fn log_prob(&self) -> f32 {
        (self.target - self.max) - self.sum.ln() as f32
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_softmax_taken_in_pieces_is_the_softmax_of_the_whole() {
        let logits: Vec<f32> = (0..5000)
            .map(|i| ((i * 7919 % 1013) as f32 * 0.037).sin() * 9.0)
            .collect();
        let (max, first, sum) = vector::softmax_stats(&logits);
        for target in [0, 17, 2048, 4999] {
            let mut whole = Softmax::EMPTY;
            for piece in [0..700, 700..2048, 2048..2049, 2049..5000] {
                let mut part = Softmax::EMPTY;
                for (i, chunk) in logits[piece.clone()].chunks(256).enumerate() {
                    part.absorb(piece.start + 256 * i, chunk, target);
                }
                whole.merge(&part);
            }
            assert_eq!((whole.max, whole.first), (max, first));
            let want = (logits[target] - max) - sum.ln() as f32;
            assert!(
                (whole.log_prob() - want).abs() < 1e-5,
                "{} vs {want}",
                whole.log_prob()
            );
        }
    }
}
