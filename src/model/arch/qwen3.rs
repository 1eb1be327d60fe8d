//! Qwen 3: the llama layer (without Qwen2's projection biases) with RMSNorm
//! over each query and key head before the rotation. Its heads are often
//! wider than `hidden / heads` (`qwen3.attention.key_length`).

use super::{DecoderLayer, Scratch, llama, tensor};
use crate::error::Result;
use crate::model::config::DecoderConfig;
use crate::model::ops::{self, Attention, RopeTable};
use crate::model::weights::WeightSource;

pub struct Layer {
    base: llama::Layer,
    q_norm: Vec<f32>,
    k_norm: Vec<f32>,
}

impl Layer {
    pub fn load(c: &DecoderConfig, i: usize, src: &mut dyn WeightSource) -> Result<Layer> {
        Ok(Layer {
            base: llama::Layer::load(c, i, src)?,
            q_norm: src.vector(&tensor(i, "attn_q_norm.weight"), c.head_dim)?,
            k_norm: src.vector(&tensor(i, "attn_k_norm.weight"), c.head_dim)?,
        })
    }
}

impl DecoderLayer for Layer {
    fn attention_inputs(&self, c: &DecoderConfig, s: &mut Scratch, t: usize, ropes: &[RopeTable]) {
        self.base.project(c, s, t);
        ops::rms_norm_in_place(&mut s.q, &self.q_norm, c.rms_eps);
        ops::rms_norm_in_place(&mut s.k, &self.k_norm, c.rms_eps);
        ropes[0].apply(&mut s.q, t, c.rope);
        ropes[0].apply(&mut s.k, t, c.rope);
    }

    fn attention(&self, c: &DecoderConfig) -> Attention {
        self.base.attention(c)
    }

    fn finish(&self, c: &DecoderConfig, s: &mut Scratch, t: usize) {
        self.base.finish(c, s, t)
    }
}
