//! Gemma 3: the embedding scaled by √hidden; in each layer RMSNorm, grouped
//! query attention with RMSNorm over each query and key head before the
//! rotation, RMSNorm of the attention output before it joins the residual
//! stream, then the same around a GELU-gated MLP (tanh approximation).
//! Layers attend over a sliding window with their own rotary base, except
//! every `sliding_window_pattern`-th (6), which sees the whole context.
//! GGUF files store the norms' weights as `1 + w` (llama.cpp adds the one at
//! conversion), so they multiply as they are.

use super::{DecoderLayer, Scratch, tensor};
use crate::error::Result;
use crate::model::config::DecoderConfig;
use crate::model::matmul::Matrix;
use crate::model::ops::{self, Attention, RopeTable};
use crate::model::weights::WeightSource;

pub struct Layer {
    attn_norm: Vec<f32>,
    wq: Matrix,
    wk: Matrix,
    wv: Matrix,
    q_norm: Vec<f32>,
    k_norm: Vec<f32>,
    wo: Matrix,
    post_attention_norm: Vec<f32>,
    ffn_norm: Vec<f32>,
    gate: Matrix,
    up: Matrix,
    down: Matrix,
    post_ffn_norm: Vec<f32>,
    /// Whether this layer attends over the sliding window (with the local
    /// rotary base) rather than the whole context.
    sliding: bool,
}

impl Layer {
    pub fn load(c: &DecoderConfig, i: usize, src: &mut dyn WeightSource) -> Result<Layer> {
        let (d, qd, kvd, ff, hd) = (c.hidden, c.q_dim(), c.kv_dim(), c.intermediate, c.head_dim);
        let n = |s: &str| tensor(i, s);
        let pattern = c.sliding_window_pattern.unwrap_or(1).max(1);
        Ok(Layer {
            attn_norm: src.vector(&n("attn_norm.weight"), d)?,
            wq: src.matrix(&n("attn_q.weight"), qd, d)?,
            wk: src.matrix(&n("attn_k.weight"), kvd, d)?,
            wv: src.matrix(&n("attn_v.weight"), kvd, d)?,
            q_norm: src.vector(&n("attn_q_norm.weight"), hd)?,
            k_norm: src.vector(&n("attn_k_norm.weight"), hd)?,
            wo: src.matrix(&n("attn_output.weight"), d, qd)?,
            post_attention_norm: src.vector(&n("post_attention_norm.weight"), d)?,
            ffn_norm: src.vector(&n("ffn_norm.weight"), d)?,
            gate: src.matrix(&n("ffn_gate.weight"), ff, d)?,
            up: src.matrix(&n("ffn_up.weight"), ff, d)?,
            down: src.matrix(&n("ffn_down.weight"), d, ff)?,
            post_ffn_norm: src.vector(&n("post_ffw_norm.weight"), d)?,
            sliding: c.sliding_window.is_some() && !(i + 1).is_multiple_of(pattern),
        })
    }
}

impl DecoderLayer for Layer {
    fn attention_inputs(&self, c: &DecoderConfig, s: &mut Scratch, t: usize, ropes: &[RopeTable]) {
        s.project_qkv(
            &self.attn_norm,
            c.rms_eps,
            [&self.wq, &self.wk, &self.wv],
            t,
        );
        ops::rms_norm_in_place(&mut s.q, &self.q_norm, c.rms_eps);
        ops::rms_norm_in_place(&mut s.k, &self.k_norm, c.rms_eps);
        let rope = if self.sliding {
            ropes.last()
        } else {
            ropes.first()
        };
        let rope = rope.expect("a rotary table");
        rope.apply(&mut s.q, t, c.rope);
        rope.apply(&mut s.k, t, c.rope);
    }

    fn attention(&self, c: &DecoderConfig) -> Attention {
        Attention {
            heads: c.heads,
            kv_heads: c.kv_heads,
            head_dim: c.head_dim,
            scale: c.attention_scale,
            window: c.sliding_window.filter(|_| self.sliding),
        }
    }

    fn finish(&self, c: &DecoderConfig, s: &mut Scratch, t: usize) {
        self.wo.matmul(&s.att, t, &mut s.h);
        ops::rms_norm_in_place(&mut s.h, &self.post_attention_norm, c.rms_eps);
        ops::add(&mut s.x, &s.h);
        s.project_gate_up(&self.ffn_norm, c.rms_eps, &self.gate, &self.up, t);
        ops::gelu_mul(&mut s.gate, &s.up, c.intermediate);
        self.down.matmul(&s.gate, t, &mut s.h);
        ops::rms_norm_in_place(&mut s.h, &self.post_ffn_norm, c.rms_eps);
        ops::add(&mut s.x, &s.h);
    }
}
