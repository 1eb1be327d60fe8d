//! Phi-3: the llama layer with its projections fused in the file, the
//! queries, keys and values in one matrix (`attn_qkv`) and the MLP's gate and
//! up rows in another (`ffn_up`, gate first). They are split once, at load,
//! so that the layer computes as llama's does. The rotation may cover only
//! the leading `phi3.rope.dimension_count` dimensions of each head, and the
//! file may set a sliding window (`phi3.attention.sliding_window`, the
//! positions a query sees, its own included), which llama.cpp ignores.

use super::llama::Layer;
use super::tensor;
use crate::error::Result;
use crate::model::config::DecoderConfig;
use crate::model::weights::WeightSource;

pub fn load(c: &DecoderConfig, i: usize, src: &mut dyn WeightSource) -> Result<Layer> {
    let (d, qd, kvd, ff) = (c.hidden, c.q_dim(), c.kv_dim(), c.intermediate);
    let n = |s: &str| tensor(i, s);
    let qkv = src.matrix(&n("attn_qkv.weight"), qd + 2 * kvd, d)?;
    let [wq, wk, wv] = parts(qkv.split_rows(&[qd, kvd, kvd]));
    let gate_up = src.matrix(&n("ffn_up.weight"), 2 * ff, d)?;
    let [gate, up] = parts(gate_up.split_rows(&[ff, ff]));
    Ok(Layer {
        attn_norm: src.vector(&n("attn_norm.weight"), d)?,
        wq,
        wk,
        wv,
        wo: src.matrix(&n("attn_output.weight"), d, qd)?,
        bq: None,
        bk: None,
        bv: None,
        ffn_norm: src.vector(&n("ffn_norm.weight"), d)?,
        gate,
        up,
        down: src.matrix(&n("ffn_down.weight"), d, ff)?,
    })
}

fn parts<const N: usize, T>(v: Vec<T>) -> [T; N] {
    v.try_into()
        .unwrap_or_else(|_| unreachable!("split into as many parts as asked"))
}
