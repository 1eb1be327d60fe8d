//! The decoder architectures behind one seam. Each module owns its layer:
//! which tensors it loads and how a batch goes through it, composed from the
//! shared operations (`ops`). Batching, the key/value cache and scoring are
//! the transformer's (`transformer`), the same for every architecture.

mod gemma3;
mod llama;
mod olmo2;
mod phi3;
mod qwen3;

use super::config::{DecoderConfig, RopeLayout};
use super::matmul::{Matrix, matmul_many};
use super::ops::{self, Attention, RopeTable};
use super::transformer::Transformer;
use super::weights::WeightSource;
use crate::error::Result;

/// Grouped-query attention over the configuration's heads, scaled by
/// 1/√head_dim, each query seeing `window` positions (all when `None`).
fn grouped_attention(c: &DecoderConfig, window: Option<usize>) -> Attention {
    Attention {
        heads: c.heads,
        kv_heads: c.kv_heads,
        head_dim: c.head_dim,
        scale: 1.0 / (c.head_dim as f32).sqrt(),
        window,
    }
}

/// The architectures this build computes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Architecture {
    Llama,
    Mistral,
    Qwen2,
    Qwen3,
    Phi3,
    Gemma3,
    Olmo2,
}

impl Architecture {
    /// Those a GGUF file may name in `general.architecture`.
    pub const GGUF: [Architecture; 7] = [
        Architecture::Llama,
        Architecture::Qwen2,
        Architecture::Qwen3,
        Architecture::Phi3,
        Architecture::Mistral,
        Architecture::Gemma3,
        Architecture::Olmo2,
    ];
    /// Those a `config.json` may name in `model_type`.
    pub const HF: [Architecture; 4] = [
        Architecture::Llama,
        Architecture::Mistral,
        Architecture::Qwen2,
        Architecture::Olmo2,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Architecture::Llama => "llama",
            Architecture::Mistral => "mistral",
            Architecture::Qwen2 => "qwen2",
            Architecture::Qwen3 => "qwen3",
            Architecture::Phi3 => "phi3",
            Architecture::Gemma3 => "gemma3",
            Architecture::Olmo2 => "olmo2",
        }
    }

    pub fn from_name(name: &str, among: &[Architecture]) -> Option<Architecture> {
        among.iter().copied().find(|a| a.name() == name)
    }

    /// The names of `among`, for errors.
    pub fn names(among: &[Architecture]) -> String {
        among
            .iter()
            .map(|a| a.name())
            .collect::<Vec<_>>()
            .join(", ")
    }

    /// How a GGUF file of this architecture pairs rotary dimensions: llama
    /// and mistral files had their q/k weights permuted at conversion.
    pub fn gguf_rope(self) -> RopeLayout {
        match self {
            Architecture::Llama | Architecture::Mistral => RopeLayout::Interleaved,
            Architecture::Qwen2
            | Architecture::Qwen3
            | Architecture::Phi3
            | Architecture::Gemma3
            | Architecture::Olmo2 => RopeLayout::Halves,
        }
    }

    fn load_layer(
        self,
        c: &DecoderConfig,
        i: usize,
        src: &mut dyn WeightSource,
    ) -> Result<Box<dyn DecoderLayer>> {
        Ok(match self {
            Architecture::Llama | Architecture::Mistral | Architecture::Qwen2 => {
                Box::new(llama::Layer::load(c, i, src)?)
            }
            Architecture::Qwen3 => Box::new(qwen3::Layer::load(c, i, src)?),
            Architecture::Phi3 => Box::new(phi3::load(c, i, src)?),
            Architecture::Gemma3 => Box::new(gemma3::Layer::load(c, i, src)?),
            Architecture::Olmo2 => Box::new(olmo2::Layer::load(c, i, src)?),
        })
    }

    /// What the token embedding is multiplied by.
    fn embedding_scale(self, c: &DecoderConfig) -> Option<f32> {
        match self {
            Architecture::Gemma3 => Some((c.hidden as f32).sqrt()),
            Architecture::Llama
            | Architecture::Mistral
            | Architecture::Qwen2
            | Architecture::Qwen3
            | Architecture::Phi3
            | Architecture::Olmo2 => None,
        }
    }
}

/// One layer of a decoder, as the transformer drives it: the chunk's
/// queries, keys and values; attention over the cache (the transformer's,
/// shaped by [`DecoderLayer::attention`]); then everything after attention.
pub trait DecoderLayer: Send + Sync {
    /// Fills `s.q`, `s.k`, `s.v` for the `t` rows of the residual stream
    /// `s.x`, rotated by one of `ropes` (one table per rotary base of the
    /// model, in [`Transformer`]'s order).
    fn attention_inputs(&self, c: &DecoderConfig, s: &mut Scratch, t: usize, ropes: &[RopeTable]);

    fn attention(&self, c: &DecoderConfig) -> Attention;

    /// Takes the attention output `s.att` back into `s.x`, then runs the MLP.
    fn finish(&self, c: &DecoderConfig, s: &mut Scratch, t: usize);
}

/// Activations of one chunk, allocated once per forward call.
pub struct Scratch {
    /// The residual stream (`t × hidden`).
    pub x: Vec<f32>,
    /// A hidden-sized work row per token.
    pub h: Vec<f32>,
    pub q: Vec<f32>,
    pub k: Vec<f32>,
    pub v: Vec<f32>,
    pub att: Vec<f32>,
    pub gate: Vec<f32>,
    pub up: Vec<f32>,
}

impl Scratch {
    pub fn new(c: &DecoderConfig, t: usize) -> Scratch {
        let (d, qd, kvd, ff) = (c.hidden, c.q_dim(), c.kv_dim(), c.intermediate);
        Scratch {
            x: vec![0f32; t * d],
            h: vec![0f32; t * d],
            q: vec![0f32; t * qd],
            k: vec![0f32; t * kvd],
            v: vec![0f32; t * kvd],
            att: vec![0f32; t * qd],
            gate: vec![0f32; t * ff],
            up: vec![0f32; t * ff],
        }
    }
}

impl Scratch {
    /// Normalises the residual stream into `h` (RMSNorm by `norm`) and
    /// projects it onto the queries, keys and values.
    fn project_qkv(&mut self, norm: &[f32], eps: f32, w: [&Matrix; 3], t: usize) {
        ops::rms_norm(&self.x, norm, eps, &mut self.h);
        matmul_many(&w, &self.h, t, &mut [&mut self.q, &mut self.k, &mut self.v]);
    }

    /// Normalises the residual stream into `h` (RMSNorm by `norm`) and
    /// projects it onto the MLP's gate and up rows.
    fn project_gate_up(&mut self, norm: &[f32], eps: f32, gate: &Matrix, up: &Matrix, t: usize) {
        ops::rms_norm(&self.x, norm, eps, &mut self.h);
        matmul_many(&[gate, up], &self.h, t, &mut [&mut self.gate, &mut self.up]);
    }
}

/// Loads a decoder of `config`'s architecture from `src`.
pub fn load(config: DecoderConfig, src: &mut dyn WeightSource) -> Result<Transformer> {
    let arch = config.arch;
    let d = config.hidden;
    let embedding = src.matrix("token_embd.weight", config.vocab, d)?;
    let layers = (0..config.layers)
        .map(|i| arch.load_layer(&config, i, src))
        .collect::<Result<Vec<_>>>()?;
    let norm = src.vector("output_norm.weight", d)?;
    let output = if src.has("output.weight") {
        Some(src.matrix("output.weight", config.vocab, d)?)
    } else {
        None
    };
    let factors = if src.has("rope_freqs.weight") {
        Some(src.vector("rope_freqs.weight", config.rope_dim / 2)?)
    } else {
        None
    };
    let mut ropes = vec![super::ops::rope_frequencies(
        config.rope_theta,
        config.rope_dim,
        config.rope_scale,
        factors.as_deref(),
    )];
    if let Some(local) = config.rope_local_theta {
        ropes.push(super::ops::rope_frequencies(
            local,
            config.rope_dim,
            1.0,
            None,
        ));
    }
    Ok(Transformer {
        embedding_scale: arch.embedding_scale(&config),
        config,
        embedding,
        layers,
        norm,
        output,
        ropes,
    })
}

/// The name of tensor `part` of layer `i`.
fn tensor(i: usize, part: &str) -> String {
    format!("blk.{i}.{part}")
}
