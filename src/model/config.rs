//! The shape of a llama-family decoder, read from a GGUF file's metadata or a
//! Hugging Face `config.json`.
//!
//! The shape every architecture has (widths, heads, vocabulary, rotary base)
//! and the few settings only some have (a sliding window, a second rotary
//! base, logit softcapping); how each architecture computes is its module's
//! (`arch`).

use std::path::Path;

use serde::Deserialize;

use super::arch::Architecture;
use super::gguf::GgufFile;
use crate::error::{Error, Result};

/// How rotary embeddings pair up the dimensions of a head.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RopeLayout {
    /// Adjacent pairs (2i, 2i+1): llama GGUF files, whose q/k weights were
    /// permuted at conversion.
    Interleaved,
    /// Halves (i, i + d/2): Hugging Face weights, Qwen2 GGUF files.
    Halves,
}

#[derive(Debug, Clone)]
pub struct DecoderConfig {
    pub arch: Architecture,
    pub hidden: usize,
    pub intermediate: usize,
    pub layers: usize,
    pub heads: usize,
    pub kv_heads: usize,
    pub head_dim: usize,
    /// The leading dimensions of each head that rotate: all of them but in
    /// files with a partial rotary dimension.
    pub rope_dim: usize,
    pub vocab: usize,
    pub rms_eps: f32,
    pub rope_theta: f32,
    pub rope: RopeLayout,
    /// Linear rotary scaling: positions are divided by this (1 for none).
    pub rope_scale: f32,
    /// The rotary base of sliding-window layers, when it differs.
    pub rope_local_theta: Option<f32>,
    /// Positions a sliding-window layer sees, its own included.
    pub sliding_window: Option<usize>,
    /// Every this-many-th layer sees the whole context; the others slide.
    pub sliding_window_pattern: Option<usize>,
    /// What query·key products are multiplied by.
    pub attention_scale: f32,
    /// `cap · tanh(logit / cap)` of the output logits, when set.
    pub final_softcap: Option<f32>,
    pub context_length: usize,
}

/// Bounds on a decoder's shape: well beyond every open model, well below
/// what would overflow or exhaust memory before a tensor is even read.
const MAX_LAYERS: usize = 1024;
const MAX_WIDTH: usize = 1 << 16;
const MAX_HEADS: usize = 1024;
const MAX_HEAD_DIM: usize = 1024;
const MAX_VOCAB: usize = 1 << 24;
const MAX_CONTEXT: usize = 1 << 24;

impl DecoderConfig {
    pub fn from_gguf(file: &GgufFile) -> Result<DecoderConfig> {
        let arch = file.str("general.architecture").ok_or_else(|| {
            file.invalid_key(
                "general.architecture",
                "is missing: cannot tell which architecture this is",
            )
        })?;
        let Some(architecture) = Architecture::from_name(arch, &Architecture::GGUF) else {
            return Err(file.invalid_key(
                "general.architecture",
                &format!(
                    "unsupported architecture `{arch}` (supported: {})",
                    Architecture::names(&Architecture::GGUF)
                ),
            ));
        };
        // Phi-3's long-context files scale the rotation by per-dimension
        // factors chosen by context length (LongRoPE); computed without
        // them, every position would be rotated wrongly.
        if let Some(t) = ["rope_factors_long.weight", "rope_factors_short.weight"]
            .into_iter()
            .find(|t| file.tensors.contains_key(*t))
        {
            return Err(file.invalid_key(
                t,
                "LongRoPE rotary scaling (long-context Phi-3 files) is not supported by this engine; \
                 use the model's short-context (4k) file",
            ));
        }
        let key = |k: &str| format!("{arch}.{k}");
        let get = |k: &str| -> Result<usize> { Ok(file.require_u64(&key(k))? as usize) };
        let hidden = get("embedding_length")?;
        let heads = get("attention.head_count")?;
        let kv_heads = file
            .u64(&key("attention.head_count_kv"))
            .map(|v| v as usize)
            .unwrap_or(heads);
        // As llama.cpp reads them: the head's width, then how much of it
        // rotates.
        let head_dim = file
            .u64(&key("attention.key_length"))
            .map(|v| v as usize)
            .unwrap_or(hidden / heads.max(1));
        let rope_dim = file
            .u64(&key("rope.dimension_count"))
            .map(|v| v as usize)
            .unwrap_or(head_dim);
        let vocab = match file.u64(&key("vocab_size")) {
            Some(v) => v as usize,
            None => file
                .get("tokenizer.ggml.tokens")
                .and_then(|v| v.as_array())
                .map(|a| a.len())
                .unwrap_or(0),
        };
        let gemma = architecture == Architecture::Gemma3;
        let windowed = gemma || architecture == Architecture::Phi3;
        let positive = |k: &str| file.f64(&key(k)).filter(|v| *v > 0.0).map(|v| v as f32);
        let config = DecoderConfig {
            arch: architecture,
            hidden,
            intermediate: get("feed_forward_length")?,
            layers: get("block_count")?,
            heads,
            kv_heads,
            head_dim,
            rope_dim,
            vocab,
            rms_eps: file
                .f64(&key("attention.layer_norm_rms_epsilon"))
                .unwrap_or(1e-5) as f32,
            rope_theta: file.f64(&key("rope.freq_base")).unwrap_or(10_000.0) as f32,
            rope: architecture.gguf_rope(),
            rope_scale: match file.str(&key("rope.scaling.type")) {
                Some("linear") => positive("rope.scaling.factor").unwrap_or(1.0),
                _ => 1.0,
            },
            // Gemma 3's local base is llama.cpp's fixed 10000 unless the
            // file says otherwise.
            rope_local_theta: positive("rope.freq_base_swa").or(gemma.then_some(10_000.0)),
            sliding_window: file
                .u64(&key("attention.sliding_window"))
                .map(|v| v as usize)
                .filter(|&w| windowed && w > 0),
            sliding_window_pattern: file
                .u64(&key("attention.sliding_window_pattern"))
                .map(|v| v as usize)
                .or(gemma.then_some(6)),
            attention_scale: gemma3_attention_scale(file, &key, hidden, heads, head_dim),
            final_softcap: positive("final_logit_softcapping"),
            context_length: get("context_length")?,
        };
        config.check(&file.path, &FieldNames::gguf(arch))?;
        if config.layers > file.tensors.len() {
            return Err(file.invalid_key(
                &key("block_count"),
                &format!(
                    "{} layers, but the file holds only {} tensors",
                    config.layers,
                    file.tensors.len()
                ),
            ));
        }
        Ok(config)
    }

    pub fn from_hf(path: &Path, text: &str) -> Result<DecoderConfig> {
        let raw: HfConfig = serde_json::from_str(text).map_err(|e| Error::Yaml {
            path: path.to_path_buf(),
            line: e.line(),
            column: e.column(),
            message: e.to_string(),
        })?;
        let invalid = |field: &str, message: String| Error::Invalid {
            path: path.to_path_buf(),
            field: field.to_owned(),
            message,
        };
        let model_type = raw.model_type.clone().unwrap_or_default();
        let Some(arch) = Architecture::from_name(&model_type, &Architecture::HF) else {
            return Err(invalid(
                "model_type",
                format!(
                    "unsupported architecture `{model_type}` for a causal language model (supported: {})",
                    Architecture::names(&Architecture::HF)
                ),
            ));
        };
        if raw.rope_scaling.as_ref().is_some_and(|v| !v.is_null()) {
            return Err(invalid(
                "rope_scaling",
                "rotary scaling is not supported by this build".into(),
            ));
        }
        let heads = raw.num_attention_heads;
        let head_dim = raw.head_dim.unwrap_or(raw.hidden_size / heads.max(1));
        let config = DecoderConfig {
            arch,
            hidden: raw.hidden_size,
            intermediate: raw.intermediate_size,
            layers: raw.num_hidden_layers,
            heads,
            kv_heads: raw.num_key_value_heads.unwrap_or(heads),
            head_dim,
            rope_dim: head_dim,
            vocab: raw.vocab_size,
            rms_eps: raw.rms_norm_eps.unwrap_or(1e-6) as f32,
            rope_theta: raw.rope_theta.unwrap_or(10_000.0) as f32,
            rope: RopeLayout::Halves,
            rope_scale: 1.0,
            rope_local_theta: None,
            sliding_window: None,
            sliding_window_pattern: None,
            attention_scale: 1.0 / (head_dim.max(1) as f32).sqrt(),
            final_softcap: None,
            context_length: raw.max_position_embeddings.unwrap_or(2048),
        };
        config.check(path, &FieldNames::hf())?;
        Ok(config)
    }

    /// Refuses a shape the decoder cannot compute with, or one so large that
    /// no real model has it (a corrupted or hostile file), before anything is
    /// allocated for it. Each problem names the field it comes from.
    fn check(&self, path: &Path, names: &FieldNames) -> Result<()> {
        let invalid = |field: &str, message: String| Error::Invalid {
            path: path.to_path_buf(),
            field: field.to_owned(),
            message,
        };
        let limits = [
            ("layers", self.layers, MAX_LAYERS, &names.layers),
            ("hidden size", self.hidden, MAX_WIDTH, &names.hidden),
            (
                "intermediate size",
                self.intermediate,
                MAX_WIDTH * 8,
                &names.intermediate,
            ),
            ("attention heads", self.heads, MAX_HEADS, &names.heads),
            ("key/value heads", self.kv_heads, MAX_HEADS, &names.kv_heads),
            (
                "head dimension",
                self.head_dim,
                MAX_HEAD_DIM,
                &names.head_dim,
            ),
            ("vocabulary", self.vocab, MAX_VOCAB, &names.vocab),
            (
                "context length",
                self.context_length,
                MAX_CONTEXT,
                &names.context,
            ),
        ];
        for (what, value, max, field) in limits {
            if value == 0 || value > max {
                return Err(invalid(
                    field,
                    format!(
                        "{what} {value} is outside 1..={max}; the file is corrupted or not a supported model"
                    ),
                ));
            }
        }
        if !self.heads.is_multiple_of(self.kv_heads) {
            return Err(invalid(
                &names.kv_heads,
                format!(
                    "{} attention heads cannot share {} key/value heads (heads must be a multiple of key/value heads)",
                    self.heads, self.kv_heads
                ),
            ));
        }
        if !self.head_dim.is_multiple_of(2) {
            return Err(invalid(
                &names.head_dim,
                format!("head dimension {} is odd", self.head_dim),
            ));
        }
        if self.rope_dim == 0 || self.rope_dim > self.head_dim || !self.rope_dim.is_multiple_of(2) {
            return Err(invalid(
                &names.rope_dim,
                format!(
                    "rotary dimension {} is not an even number within the head's {}",
                    self.rope_dim, self.head_dim
                ),
            ));
        }
        if self.heads * self.head_dim > MAX_WIDTH * 4 {
            return Err(invalid(
                &names.head_dim,
                format!(
                    "{} heads of {} dimensions are wider than any supported model",
                    self.heads, self.head_dim
                ),
            ));
        }
        Ok(())
    }

    pub fn q_dim(&self) -> usize {
        self.heads * self.head_dim
    }

    pub fn kv_dim(&self) -> usize {
        self.kv_heads * self.head_dim
    }
}

/// `1/√head_dim`, or for Gemma 3 27B (62 layers), whose queries were scaled
/// by the hidden width per head in training, `1/√(hidden/heads)`, as
/// llama.cpp does; a file's `attention.scale` wins over both.
fn gemma3_attention_scale(
    file: &GgufFile,
    key: &dyn Fn(&str) -> String,
    hidden: usize,
    heads: usize,
    head_dim: usize,
) -> f32 {
    if let Some(scale) = file.f64(&key("attention.scale")).filter(|s| *s > 0.0) {
        return scale as f32;
    }
    let gemma27 = file.str("general.architecture") == Some("gemma3")
        && file.u64(&key("block_count")) == Some(62);
    let width = if gemma27 {
        hidden / heads.max(1)
    } else {
        head_dim
    };
    1.0 / (width.max(1) as f32).sqrt()
}

/// Which field of the file each dimension comes from, so that errors name it.
struct FieldNames {
    layers: String,
    hidden: String,
    intermediate: String,
    heads: String,
    kv_heads: String,
    head_dim: String,
    rope_dim: String,
    vocab: String,
    context: String,
}

impl FieldNames {
    fn gguf(arch: &str) -> FieldNames {
        let key = |k: &str| format!("{arch}.{k}");
        FieldNames {
            layers: key("block_count"),
            hidden: key("embedding_length"),
            intermediate: key("feed_forward_length"),
            heads: key("attention.head_count"),
            kv_heads: key("attention.head_count_kv"),
            head_dim: key("attention.key_length"),
            rope_dim: key("rope.dimension_count"),
            vocab: key("vocab_size"),
            context: key("context_length"),
        }
    }

    fn hf() -> FieldNames {
        FieldNames {
            layers: "num_hidden_layers".into(),
            hidden: "hidden_size".into(),
            intermediate: "intermediate_size".into(),
            heads: "num_attention_heads".into(),
            kv_heads: "num_key_value_heads".into(),
            head_dim: "head_dim".into(),
            rope_dim: "head_dim".into(),
            vocab: "vocab_size".into(),
            context: "max_position_embeddings".into(),
        }
    }
}

#[derive(Deserialize)]
struct HfConfig {
    model_type: Option<String>,
    hidden_size: usize,
    intermediate_size: usize,
    num_hidden_layers: usize,
    num_attention_heads: usize,
    num_key_value_heads: Option<usize>,
    head_dim: Option<usize>,
    vocab_size: usize,
    rms_norm_eps: Option<f64>,
    rope_theta: Option<f64>,
    max_position_embeddings: Option<usize>,
    rope_scaling: Option<serde_json::Value>,
}
