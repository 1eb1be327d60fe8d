//! OLMo 2: norms after, not before, each block. The residual stream goes
//! unnormalised into the attention, whose queries and keys are normalised
//! over the whole projection (all heads at once) before the rotation; the
//! attention output and the MLP's output are normalised before they join
//! the residual stream.

use super::{DecoderLayer, Scratch, tensor};
use crate::error::Result;
use crate::model::config::DecoderConfig;
use crate::model::matmul::{Matrix, matmul_many};
use crate::model::ops::{self, Attention, RopeTable};
use crate::model::weights::WeightSource;

pub struct Layer {
    wq: Matrix,
    wk: Matrix,
    wv: Matrix,
    q_norm: Vec<f32>,
    k_norm: Vec<f32>,
    wo: Matrix,
    post_attention_norm: Vec<f32>,
    gate: Matrix,
    up: Matrix,
    down: Matrix,
    post_ffn_norm: Vec<f32>,
}

impl Layer {
    pub fn load(c: &DecoderConfig, i: usize, src: &mut dyn WeightSource) -> Result<Layer> {
        let (d, qd, kvd, ff) = (c.hidden, c.q_dim(), c.kv_dim(), c.intermediate);
        let n = |s: &str| tensor(i, s);
        Ok(Layer {
            wq: src.matrix(&n("attn_q.weight"), qd, d)?,
            wk: src.matrix(&n("attn_k.weight"), kvd, d)?,
            wv: src.matrix(&n("attn_v.weight"), kvd, d)?,
            q_norm: src.vector(&n("attn_q_norm.weight"), qd)?,
            k_norm: src.vector(&n("attn_k_norm.weight"), kvd)?,
            wo: src.matrix(&n("attn_output.weight"), d, qd)?,
            post_attention_norm: src.vector(&n("post_attention_norm.weight"), d)?,
            gate: src.matrix(&n("ffn_gate.weight"), ff, d)?,
            up: src.matrix(&n("ffn_up.weight"), ff, d)?,
            down: src.matrix(&n("ffn_down.weight"), d, ff)?,
            post_ffn_norm: src.vector(&n("post_ffw_norm.weight"), d)?,
        })
    }
}

impl DecoderLayer for Layer {
    fn attention_inputs(&self, c: &DecoderConfig, s: &mut Scratch, t: usize, ropes: &[RopeTable]) {
        matmul_many(
            &[&self.wq, &self.wk, &self.wv],
            &s.x,
            t,
            &mut [&mut s.q, &mut s.k, &mut s.v],
        );
        ops::rms_norm_in_place(&mut s.q, &self.q_norm, c.rms_eps);
        ops::rms_norm_in_place(&mut s.k, &self.k_norm, c.rms_eps);
        ropes[0].apply(&mut s.q, t, c.rope);
        ropes[0].apply(&mut s.k, t, c.rope);
    }

    fn attention(&self, c: &DecoderConfig) -> Attention {
        super::grouped_attention(c, None)
    }

    fn finish(&self, c: &DecoderConfig, s: &mut Scratch, t: usize) {
        self.wo.matmul(&s.att, t, &mut s.h);
        ops::rms_norm_in_place(&mut s.h, &self.post_attention_norm, c.rms_eps);
        ops::add(&mut s.x, &s.h);
        matmul_many(
            &[&self.gate, &self.up],
            &s.x,
            t,
            &mut [&mut s.gate, &mut s.up],
        );
        ops::silu_mul(&mut s.gate, &s.up, c.intermediate);
        self.down.matmul(&s.gate, t, &mut s.h);
        ops::rms_norm_in_place(&mut s.h, &self.post_ffn_norm, c.rms_eps);
        ops::add(&mut s.x, &s.h);
    }
}
