//! [`Encoder`]: BERT-family sentence encoders in the sentence-transformers
//! layout (`config.json`, safetensors, `tokenizer.json`, `modules.json`,
//! `1_Pooling/config.json`), pooled and normalised as those files say.

use std::path::{Path, PathBuf};

use candle_core::{DType, Device, Tensor};
use candle_nn::VarBuilder;
use candle_transformers::models::bert::{BertModel, Config};
use serde::Deserialize;

use crate::error::{Error, Result};

/// Sentences embedded together in one forward pass.
const BATCH: usize = 32;

/// How token states become one sentence vector.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Pooling {
    Mean,
    Cls,
    Max,
}

pub struct Encoder {
    model: BertModel,
    tokenizer: tokenizers::Tokenizer,
    pooling: Pooling,
    normalize: bool,
    max_tokens: usize,
    info: super::ModelInfo,
}

#[derive(Deserialize)]
struct PoolingConfig {
    #[serde(default)]
    pooling_mode_cls_token: bool,
    #[serde(default)]
    pooling_mode_mean_tokens: bool,
    #[serde(default)]
    pooling_mode_max_tokens: bool,
}

#[derive(Deserialize)]
struct Module {
    #[serde(rename = "type")]
    kind: String,
    #[serde(default)]
    path: String,
}

fn invalid(path: &Path, field: &str, message: impl Into<String>) -> Error {
    Error::Invalid {
        path: path.to_path_buf(),
        field: field.to_owned(),
        message: message.into(),
    }
}

fn read_json<T: serde::de::DeserializeOwned>(path: &Path) -> Result<T> {
    let text = crate::bounded::read_text(path, super::MAX_CONFIG_BYTES)?;
    serde_json::from_str(&text).map_err(|e| Error::Yaml {
        path: path.to_path_buf(),
        line: e.line(),
        column: e.column(),
        message: e.to_string(),
    })
}

impl Encoder {
    /// Loads the encoder in folder `path`.
    pub fn load(path: &Path) -> Result<Encoder> {
        let config_path = path.join("config.json");
        let raw: serde_json::Value = read_json(&config_path)?;
        let model_type = raw.get("model_type").and_then(|v| v.as_str()).unwrap_or("");
        if model_type != "bert" {
            return Err(invalid(
                &config_path,
                "model_type",
                format!("unsupported architecture `{model_type}` for an encoder (supported: bert)"),
            ));
        }
        let config: Config = serde_json::from_value(raw).map_err(|e| {
            invalid(
                &config_path,
                "config",
                format!("not a BERT configuration: {e}"),
            )
        })?;
        check_shape(&config, &config_path)?;
        let (pooling, normalize) = pooling_of(path)?;
        let tokenizer_path = path.join("tokenizer.json");
        crate::bounded::check_size(&tokenizer_path, super::MAX_TOKENIZER_BYTES)?;
        let mut tokenizer = super::guarded(&tokenizer_path, "tokenizer", || {
            tokenizers::Tokenizer::from_file(&tokenizer_path).map_err(|e| {
                invalid(
                    &tokenizer_path,
                    "tokenizer",
                    format!("unreadable tokenizer: {e}"),
                )
            })
        })?;
        // tokenizer.json may pad every text to a fixed length (all-MiniLM's
        // pads to 128) and truncate; padding here would count `[PAD]` states
        // in the mean, so sentences are truncated and masked below instead.
        tokenizer.with_padding(None);
        tokenizer
            .with_truncation(None)
            .map_err(|e| invalid(&tokenizer_path, "truncation", e.to_string()))?;
        let tok_vocab = tokenizer.get_vocab_size(true);
        if tok_vocab > config.vocab_size {
            return Err(invalid(
                &tokenizer_path,
                "tokenizer",
                format!(
                    "the tokenizer does not match the model: it has {tok_vocab} tokens, the model's vocabulary {}",
                    config.vocab_size
                ),
            ));
        }
        let max_tokens = max_seq_length(path)?
            .unwrap_or(config.max_position_embeddings)
            .min(config.max_position_embeddings);
        let weights = weight_files(path)?;
        let corrupted = |e: candle_core::Error| {
            invalid(
                &weights[0],
                "safetensors",
                format!("corrupted or truncated weights: {e}"),
            )
        };
        // SAFETY: read-only mapping of files nobody truncates while loading.
        let vb = unsafe { VarBuilder::from_mmaped_safetensors(&weights, DType::F32, &Device::Cpu) }
            .map_err(corrupted)?;
        let model = BertModel::load(vb, &config).map_err(corrupted)?;
        let parameters = super::causal::safetensors_parameters(&weights);
        let info = super::ModelInfo {
            architecture: "bert".into(),
            format: "safetensors".into(),
            parameters,
            quantization: super::causal::safetensors_dtype(&weights[0])
                .unwrap_or_else(|| "F32".into()),
            context_length: max_tokens,
            vocab_size: config.vocab_size,
            layers: config.num_hidden_layers,
            hidden_size: config.hidden_size,
            engine: super::engine_version(),
        };
        Ok(Encoder {
            model,
            tokenizer,
            pooling,
            normalize,
            max_tokens,
            info,
        })
    }

    pub fn describe(&self) -> super::ModelInfo {
        self.info.clone()
    }

    /// One vector per text, pooled (and normalised, when the model's
    /// modules say so) as sentence-transformers does.
    pub fn embed(&self, texts: &[&str]) -> Result<Vec<Vec<f32>>> {
        let mut out = Vec::with_capacity(texts.len());
        for batch in texts.chunks(BATCH) {
            out.extend(
                self.embed_batch(batch)
                    .map_err(|e| Error::Other(format!("embedding: {e}")))?,
            );
        }
        Ok(out)
    }

    fn embed_batch(&self, texts: &[&str]) -> candle_core::Result<Vec<Vec<f32>>> {
        let encodings = self
            .tokenizer
            .encode_batch(texts.to_vec(), true)
            .map_err(|e| candle_core::Error::Msg(format!("tokenizing: {e}")))?;
        let ids: Vec<Vec<u32>> = encodings
            .iter()
            .map(|e| {
                let ids = e.get_ids();
                let mut ids = ids[..ids.len().min(self.max_tokens)].to_vec();
                if ids.len() == self.max_tokens && e.get_ids().len() > self.max_tokens {
                    // Keep the closing [SEP] when truncating, as the Python tokenizer does.
                    if let Some(&sep) = e.get_ids().last() {
                        *ids.last_mut().expect("non-empty") = sep;
                    }
                }
                ids
            })
            .collect();
        let len = ids.iter().map(Vec::len).max().unwrap_or(0).max(1);
        let n = ids.len();
        let mut flat = vec![0u32; n * len];
        let mut mask = vec![0u32; n * len];
        for (i, row) in ids.iter().enumerate() {
            flat[i * len..i * len + row.len()].copy_from_slice(row);
            mask[i * len..i * len + row.len()].fill(1);
        }
        let dev = Device::Cpu;
        let input = Tensor::from_vec(flat, (n, len), &dev)?;
        let mask_t = Tensor::from_vec(mask.clone(), (n, len), &dev)?;
        let types = input.zeros_like()?;
        let states = self.model.forward(&input, &types, Some(&mask_t))?;
        let states: Vec<Vec<Vec<f32>>> = states.to_vec3()?;
        Ok(states
            .iter()
            .zip(&ids)
            .map(|(tokens, row)| {
                let v = pool(self.pooling, &tokens[..row.len()]);
                if self.normalize { normalized(v) } else { v }
            })
            .collect())
    }
}

fn pool(pooling: Pooling, tokens: &[Vec<f32>]) -> Vec<f32> {
    let d = tokens.first().map(Vec::len).unwrap_or(0);
    match pooling {
        Pooling::Cls => tokens.first().cloned().unwrap_or_default(),
        Pooling::Mean => {
            let mut sum = vec![0f32; d];
            for t in tokens {
                sum.iter_mut().zip(t).for_each(|(s, v)| *s += v);
            }
            let n = tokens.len().max(1) as f32;
            sum.into_iter().map(|s| s / n).collect()
        }
        Pooling::Max => {
            let mut max = vec![f32::NEG_INFINITY; d];
            for t in tokens {
                max.iter_mut().zip(t).for_each(|(m, v)| *m = m.max(*v));
            }
            max
        }
    }
}

fn normalized(v: Vec<f32>) -> Vec<f32> {
    let norm = v.iter().map(|x| x * x).sum::<f32>().sqrt().max(1e-12);
    v.into_iter().map(|x| x / norm).collect()
}

/// The limits a BERT configuration must respect for candle to compute with
/// it: positive sizes, heads dividing the width, and sizes no real encoder
/// exceeds (a hostile `config.json` is refused here, naming the field).
pub(super) fn check_shape(config: &Config, path: &Path) -> Result<()> {
    const MAX_WIDTH: usize = 1 << 16;
    let fields = [
        ("vocab_size", config.vocab_size, 1 << 24),
        ("hidden_size", config.hidden_size, MAX_WIDTH),
        ("num_hidden_layers", config.num_hidden_layers, 1024),
        ("num_attention_heads", config.num_attention_heads, 1024),
        ("intermediate_size", config.intermediate_size, MAX_WIDTH * 8),
        (
            "max_position_embeddings",
            config.max_position_embeddings,
            1 << 20,
        ),
        ("type_vocab_size", config.type_vocab_size, 1 << 16),
    ];
    for (field, value, max) in fields {
        if value == 0 || value > max {
            return Err(invalid(
                path,
                field,
                format!(
                    "{value} is outside 1..={max}; the file is corrupted or not a supported encoder"
                ),
            ));
        }
    }
    if !config
        .hidden_size
        .is_multiple_of(config.num_attention_heads)
    {
        return Err(invalid(
            path,
            "num_attention_heads",
            format!(
                "{} heads do not divide the hidden size {}",
                config.num_attention_heads, config.hidden_size
            ),
        ));
    }
    if !(config.layer_norm_eps.is_finite() && config.layer_norm_eps > 0.0) {
        return Err(invalid(
            path,
            "layer_norm_eps",
            format!("{} is not a positive number", config.layer_norm_eps),
        ));
    }
    Ok(())
}

/// `max_seq_length` of `sentence_bert_config.json`, when the file has one;
/// a value that would leave no room for a token is refused.
fn max_seq_length(dir: &Path) -> Result<Option<usize>> {
    let path = dir.join("sentence_bert_config.json");
    if !path.is_file() {
        return Ok(None);
    }
    let config: serde_json::Value = read_json(&path)?;
    let Some(value) = config.get("max_seq_length").filter(|v| !v.is_null()) else {
        return Ok(None);
    };
    match value.as_u64() {
        Some(n) if n >= 2 => Ok(Some(n.min(usize::MAX as u64) as usize)),
        _ => Err(invalid(
            &path,
            "max_seq_length",
            format!(
                "{value} leaves no room for a sentence: it must count at least 2 tokens ([CLS] and [SEP])"
            ),
        )),
    }
}

/// Pooling and normalisation from `modules.json` and the pooling module's
/// config; a bare BERT folder (no modules.json) is mean-pooled, unnormalised.
fn pooling_of(dir: &Path) -> Result<(Pooling, bool)> {
    let modules_path = dir.join("modules.json");
    if !modules_path.is_file() {
        return Ok((Pooling::Mean, false));
    }
    let modules: Vec<Module> = read_json(&modules_path)?;
    let normalize = modules.iter().any(|m| m.kind.ends_with(".Normalize"));
    let pooling = match modules.iter().find(|m| m.kind.ends_with(".Pooling")) {
        None => Pooling::Mean,
        Some(m) => {
            let path = dir.join(&m.path).join("config.json");
            let c: PoolingConfig = read_json(&path)?;
            match (
                c.pooling_mode_mean_tokens,
                c.pooling_mode_cls_token,
                c.pooling_mode_max_tokens,
            ) {
                (true, false, false) => Pooling::Mean,
                (false, true, false) => Pooling::Cls,
                (false, false, true) => Pooling::Max,
                _ => {
                    return Err(invalid(
                        &path,
                        "pooling_mode",
                        "unsupported pooling (exactly one of mean, cls or max tokens is supported)",
                    ));
                }
            }
        }
    };
    Ok((pooling, normalize))
}

fn weight_files(dir: &Path) -> Result<Vec<PathBuf>> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .map_err(|e| Error::io(dir, e))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|e| e == "safetensors"))
        .collect();
    files.sort();
    if files.is_empty() {
        return Err(Error::NotFound(format!(
            "{}: no .safetensors weights",
            dir.display()
        )));
    }
    Ok(files)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pooling_modes() {
        let tokens = vec![vec![1.0, -2.0], vec![3.0, 4.0]];
        assert_eq!(pool(Pooling::Mean, &tokens), vec![2.0, 1.0]);
        assert_eq!(pool(Pooling::Cls, &tokens), vec![1.0, -2.0]);
        assert_eq!(pool(Pooling::Max, &tokens), vec![3.0, 4.0]);
        let n = normalized(vec![3.0, 4.0]);
        assert!((n[0] - 0.6).abs() < 1e-6 && (n[1] - 0.8).abs() < 1e-6);
    }
}
