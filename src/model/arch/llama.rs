//! The llama family (llama, SmolLM, Mistral, Qwen2; Phi-3 once its fused
//! projections are split): RMSNorm, rotary grouped-query attention (with
//! biases on the projections in Qwen2, over a sliding window when the file
//! sets one), RMSNorm, SiLU-gated MLP, each added to the residual stream.

use super::{DecoderLayer, Scratch, tensor};
use crate::error::Result;
use crate::model::config::DecoderConfig;
use crate::model::matmul::Matrix;
use crate::model::ops::{self, Attention, RopeTable};
use crate::model::weights::WeightSource;

pub struct Layer {
    pub(super) attn_norm: Vec<f32>,
    pub(super) wq: Matrix,
    pub(super) wk: Matrix,
    pub(super) wv: Matrix,
    pub(super) wo: Matrix,
    pub(super) bq: Option<Vec<f32>>,
    pub(super) bk: Option<Vec<f32>>,
    pub(super) bv: Option<Vec<f32>>,
    pub(super) ffn_norm: Vec<f32>,
    pub(super) gate: Matrix,
    pub(super) up: Matrix,
    pub(super) down: Matrix,
}

impl Layer {
    pub fn load(c: &DecoderConfig, i: usize, src: &mut dyn WeightSource) -> Result<Layer> {
        let (d, qd, kvd, ff) = (c.hidden, c.q_dim(), c.kv_dim(), c.intermediate);
        let n = |s: &str| tensor(i, s);
        let bias = |src: &mut dyn WeightSource, s: &str, len: usize| -> Result<Option<Vec<f32>>> {
            let name = n(s);
            if src.has(&name) {
                src.vector(&name, len).map(Some)
            } else {
                Ok(None)
            }
        };
        Ok(Layer {
            attn_norm: src.vector(&n("attn_norm.weight"), d)?,
            wq: src.matrix(&n("attn_q.weight"), qd, d)?,
            wk: src.matrix(&n("attn_k.weight"), kvd, d)?,
            wv: src.matrix(&n("attn_v.weight"), kvd, d)?,
            wo: src.matrix(&n("attn_output.weight"), d, qd)?,
            bq: bias(src, "attn_q.bias", qd)?,
            bk: bias(src, "attn_k.bias", kvd)?,
            bv: bias(src, "attn_v.bias", kvd)?,
            ffn_norm: src.vector(&n("ffn_norm.weight"), d)?,
            gate: src.matrix(&n("ffn_gate.weight"), ff, d)?,
            up: src.matrix(&n("ffn_up.weight"), ff, d)?,
            down: src.matrix(&n("ffn_down.weight"), d, ff)?,
        })
    }
}

impl Layer {
    /// The queries, keys and values before the rotation.
    pub fn project(&self, c: &DecoderConfig, s: &mut Scratch, t: usize) {
        s.project_qkv(
            &self.attn_norm,
            c.rms_eps,
            [&self.wq, &self.wk, &self.wv],
            t,
        );
        ops::add_bias(&mut s.q, self.bq.as_deref());
        ops::add_bias(&mut s.k, self.bk.as_deref());
        ops::add_bias(&mut s.v, self.bv.as_deref());
    }
}

impl DecoderLayer for Layer {
    fn attention_inputs(&self, c: &DecoderConfig, s: &mut Scratch, t: usize, ropes: &[RopeTable]) {
        self.project(c, s, t);
        ropes[0].apply(&mut s.q, t, c.rope);
        ropes[0].apply(&mut s.k, t, c.rope);
    }

    fn attention(&self, c: &DecoderConfig) -> Attention {
        super::grouped_attention(c, c.sliding_window)
    }

    fn finish(&self, c: &DecoderConfig, s: &mut Scratch, t: usize) {
        self.wo.matmul(&s.att, t, &mut s.h);
        ops::add(&mut s.x, &s.h);
        s.project_gate_up(&self.ffn_norm, c.rms_eps, &self.gate, &self.up, t);
        ops::silu_mul(&mut s.gate, &s.up, c.intermediate);
        self.down.matmul(&s.gate, t, &mut s.h);
        ops::add(&mut s.x, &s.h);
    }
}
