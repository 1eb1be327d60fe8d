//! Text ↔ token ids, from a `tokenizer.json` or rebuilt from GGUF metadata.
//!
//! A GGUF file carries its vocabulary, merges and a pre-tokenizer name
//! (`tokenizer.ggml.pre`); the pre-tokenizer is llama.cpp's regex for that
//! name, so that ids equal llama.cpp's for the same text. SmolLM's (`smollm`)
//! splits every digit on its own and adds no prefix space.

use std::path::Path;

use tokenizers::decoders::byte_fallback::ByteFallback;
use tokenizers::decoders::byte_level::ByteLevel as ByteLevelDecoder;
use tokenizers::decoders::fuse::Fuse;
use tokenizers::decoders::sequence::Sequence as DecoderSequence;
use tokenizers::decoders::strip::Strip;
use tokenizers::models::bpe::{BPE, Vocab};
use tokenizers::normalizers::{Prepend, Replace, Sequence as NormalizerSequence};
use tokenizers::pre_tokenizers::byte_level::ByteLevel;
use tokenizers::pre_tokenizers::sequence::Sequence as PreSequence;
use tokenizers::pre_tokenizers::split::{Split, SplitPattern};
use tokenizers::{
    AddedToken, DecoderWrapper, NormalizerWrapper, PreTokenizerWrapper, SplitDelimiterBehavior,
    Tokenizer,
};

use super::error::ModelError;
use super::gguf::{GgufFile, Value};
use crate::error::{Error, Result};

const LLAMA3: &str = r"(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}{1,3}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+";
const QWEN2: &str = r"(?:'[sS]|'[tT]|'[rR][eE]|'[vV][eE]|'[mM]|'[lL][lL]|'[dD])|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+";

/// GGUF token types.
const TOKEN_CONTROL: i64 = 3;
const TOKEN_USER_DEFINED: i64 = 4;

/// A tokenizer with the special tokens a model needs.
pub struct TextTokenizer {
    inner: Tokenizer,
    bos: Option<u32>,
    eos: Option<u32>,
    /// Tokens that end a generated reply besides `eos` (`<|im_end|>`, …).
    stops: Vec<u32>,
    add_bos: bool,
}

impl TextTokenizer {
    pub fn encode(&self, text: &str, add_bos: bool) -> Result<Vec<u32>> {
        let enc = self
            .inner
            .encode(text, false)
            .map_err(|e| Error::Other(format!("tokenizing: {e}")))?;
        let mut ids = Vec::with_capacity(enc.len() + 1);
        if add_bos {
            ids.extend(self.bos);
        }
        ids.extend_from_slice(enc.get_ids());
        Ok(ids)
    }

    pub fn decode(&self, ids: &[u32]) -> Result<String> {
        self.inner
            .decode(ids, false)
            .map_err(|e| Error::Other(format!("decoding tokens: {e}")))
    }

    pub fn bos(&self) -> Option<u32> {
        self.bos
    }

    pub fn eos(&self) -> Option<u32> {
        self.eos
    }

    /// Whether the model expects a BOS token before a prompt.
    pub fn add_bos(&self) -> bool {
        self.add_bos
    }

    /// Whether generation should stop at this token.
    pub fn is_stop(&self, id: u32) -> bool {
        Some(id) == self.eos || self.stops.contains(&id)
    }

    pub fn token_text(&self, id: u32) -> Option<String> {
        self.inner.id_to_token(id)
    }

    /// Ids this tokenizer can produce (added tokens included).
    pub fn vocab_size(&self) -> usize {
        self.inner.get_vocab_size(true)
    }

    /// Fails when the tokenizer can produce ids the model has no row for.
    pub fn check_against(&self, model_vocab: usize, path: &Path) -> Result<()> {
        let vocab = self.inner.get_vocab(true);
        match vocab
            .iter()
            .filter(|(_, id)| **id as usize >= model_vocab)
            .max_by_key(|(_, id)| **id)
        {
            None => Ok(()),
            Some((token, id)) => Err(ModelError::Tokenizer {
                path: path.to_path_buf(),
                message: format!(
                    "the tokenizer does not match the model: token {token:?} has id {id}, but the model's vocabulary has {model_vocab} entries"
                ),
            }
            .into()),
        }
    }

    /// The tokenizer of a Hugging Face folder: `tokenizer.json`, with special
    /// tokens from `tokenizer_config.json` and `config.json`.
    pub fn from_folder(dir: &Path) -> Result<TextTokenizer> {
        let file = dir.join("tokenizer.json");
        crate::bounded::check_size(&file, super::MAX_TOKENIZER_BYTES)?;
        let inner = super::guarded(&file, "tokenizer", || {
            Tokenizer::from_file(&file).map_err(|e| Error::Invalid {
                path: file.clone(),
                field: "tokenizer".into(),
                message: format!("unreadable tokenizer: {e}"),
            })
        })?;
        let tok_config = read_json(&dir.join("tokenizer_config.json"))?;
        let config = read_json(&dir.join("config.json"))?;
        let by_name = |key: &str| -> Option<u32> {
            let v = tok_config.get(key)?;
            let name = v
                .as_str()
                .or_else(|| v.get("content").and_then(|c| c.as_str()))?;
            inner.token_to_id(name)
        };
        let by_id = |key: &str| config.get(key).and_then(|v| v.as_u64()).map(|v| v as u32);
        let bos = by_name("bos_token").or_else(|| by_id("bos_token_id"));
        let eos = by_name("eos_token").or_else(|| by_id("eos_token_id"));
        let add_bos = tok_config
            .get("add_bos_token")
            .and_then(|v| v.as_bool())
            .unwrap_or(false);
        let stops = stop_tokens(&inner);
        Ok(TextTokenizer {
            inner,
            bos,
            eos,
            stops,
            add_bos,
        })
    }

    /// The tokenizer described by a GGUF file's `tokenizer.ggml.*` keys.
    pub fn from_gguf(file: &GgufFile) -> Result<TextTokenizer> {
        let kind = file.str("tokenizer.ggml.model").unwrap_or("");
        let tokens: Vec<String> = strings(file, "tokenizer.ggml.tokens")?;
        let types: Vec<i64> = file
            .get("tokenizer.ggml.token_type")
            .and_then(Value::as_array)
            .map(|a| a.iter().map(|v| v.as_f64().unwrap_or(1.0) as i64).collect())
            .unwrap_or_default();
        let mut inner = match kind {
            "gpt2" => byte_level_bpe(file, &tokens)?,
            "llama" => sentencepiece_bpe(file, &tokens)?,
            other => {
                return Err(file.invalid_key(
                    "tokenizer.ggml.model",
                    &format!("unsupported tokenizer model `{other}` (supported: gpt2, llama)"),
                ));
            }
        };
        let specials: Vec<AddedToken> = tokens
            .iter()
            .zip(&types)
            .filter(|(_, t)| matches!(**t, TOKEN_CONTROL | TOKEN_USER_DEFINED))
            .map(|(s, _)| AddedToken::from(s.clone(), true))
            .collect();
        inner.add_special_tokens(specials).map_err(|e| {
            file.invalid_key("tokenizer.ggml.token_type", &format!("special tokens: {e}"))
        })?;
        let id = |key: &str| file.u64(key).map(|v| v as u32);
        let add_bos = file
            .get("tokenizer.ggml.add_bos_token")
            .and_then(Value::as_bool)
            .unwrap_or(kind == "llama");
        let stops = stop_tokens(&inner);
        Ok(TextTokenizer {
            inner,
            bos: id("tokenizer.ggml.bos_token_id"),
            eos: id("tokenizer.ggml.eos_token_id"),
            stops,
            add_bos,
        })
    }
}

fn read_json(path: &Path) -> Result<serde_json::Value> {
    if !path.exists() {
        return Ok(serde_json::Value::Null);
    }
    match crate::bounded::read_text(path, super::MAX_CONFIG_BYTES) {
        Ok(text) => serde_json::from_str(&text).map_err(|e| Error::Yaml {
            path: path.to_path_buf(),
            line: e.line(),
            column: e.column(),
            message: e.to_string(),
        }),
        Err(e) => Err(e),
    }
}

/// End-of-turn tokens of the common chat formats, when the vocabulary has them.
fn stop_tokens(t: &Tokenizer) -> Vec<u32> {
    [
        "<|im_end|>",
        "<|eot_id|>",
        "<|end|>",
        "<end_of_turn>",
        "<|endoftext|>",
    ]
    .iter()
    .filter_map(|s| t.token_to_id(s))
    .collect()
}

fn strings(file: &GgufFile, key: &str) -> Result<Vec<String>> {
    let arr = file
        .get(key)
        .and_then(Value::as_array)
        .ok_or_else(|| file.invalid_key(key, "is missing"))?;
    arr.iter()
        .map(|v| {
            v.as_str()
                .map(str::to_owned)
                .ok_or_else(|| file.invalid_key(key, "holds a non-string"))
        })
        .collect()
}

fn vocab_map(tokens: &[String]) -> Vocab {
    tokens
        .iter()
        .enumerate()
        .map(|(i, t)| (t.clone(), i as u32))
        .collect()
}

fn split(regex: &str) -> Result<PreTokenizerWrapper> {
    let split = Split::new(
        SplitPattern::Regex(regex.to_owned()),
        SplitDelimiterBehavior::Isolated,
        false,
    )
    .map_err(|e| Error::Other(format!("pre-tokenizer regex: {e}")))?;
    Ok(split.into())
}

/// The pre-tokenizer llama.cpp uses for a `tokenizer.ggml.pre` name.
fn pre_tokenizer(file: &GgufFile) -> Result<(PreTokenizerWrapper, bool)> {
    let pre = file.str("tokenizer.ggml.pre").unwrap_or("default");
    let byte_level =
        |regex: bool| -> PreTokenizerWrapper { ByteLevel::new(false, false, regex).into() };
    Ok(match pre {
        "default" | "gpt-2" | "gpt2" => (byte_level(true), false),
        "smollm" | "starcoder" | "refact" | "command-r" | "codeshell" | "exaone" | "minerva" => (
            PreSequence::new(vec![split(r"\p{N}")?, byte_level(true)]).into(),
            false,
        ),
        "llama3" | "llama-v3" | "llama-bpe" | "smaug-bpe" | "falcon3" | "pixtral" => (
            PreSequence::new(vec![split(LLAMA3)?, byte_level(false)]).into(),
            true,
        ),
        "qwen2" | "deepseek-r1-qwen" => (
            PreSequence::new(vec![split(QWEN2)?, byte_level(false)]).into(),
            false,
        ),
        other => {
            return Err(file.invalid_key(
                "tokenizer.ggml.pre",
                &format!("unsupported pre-tokenizer `{other}` (supported: default, gpt-2, smollm, starcoder, llama-bpe, qwen2)"),
            ));
        }
    })
}

fn byte_level_bpe(file: &GgufFile, tokens: &[String]) -> Result<Tokenizer> {
    let merges: Vec<(String, String)> = strings(file, "tokenizer.ggml.merges")?
        .into_iter()
        .map(|m| {
            let (a, b) = m.split_once(' ').unwrap_or((&m, ""));
            (a.to_owned(), b.to_owned())
        })
        .collect();
    let (pre, ignore_merges) = pre_tokenizer(file)?;
    let bpe = BPE::builder()
        .vocab_and_merges(vocab_map(tokens), merges)
        .ignore_merges(ignore_merges)
        .build()
        .map_err(|e| {
            file.invalid_key(
                "tokenizer.ggml.merges",
                &format!("inconsistent vocabulary: {e}"),
            )
        })?;
    let mut t = Tokenizer::new(bpe);
    t.with_pre_tokenizer(Some(pre));
    t.with_decoder(Some(DecoderWrapper::from(ByteLevelDecoder::default())));
    Ok(t)
}

/// SentencePiece-style vocabularies (llama 1/2, Mistral): BPE whose merges
/// are ranked by the score of the piece they produce, with byte fallback.
fn sentencepiece_bpe(file: &GgufFile, tokens: &[String]) -> Result<Tokenizer> {
    let scores: Vec<f64> = file
        .get("tokenizer.ggml.scores")
        .and_then(Value::as_array)
        .map(|a| a.iter().map(|v| v.as_f64().unwrap_or(0.0)).collect())
        .unwrap_or_else(|| vec![0.0; tokens.len()]);
    let vocab = vocab_map(tokens);
    let mut ranked: Vec<(f64, u32, String, String)> = Vec::new();
    for (id, piece) in tokens.iter().enumerate() {
        let score = scores.get(id).copied().unwrap_or(0.0);
        for (at, _) in piece.char_indices().skip(1) {
            let (a, b) = piece.split_at(at);
            if vocab.contains_key(a) && vocab.contains_key(b) {
                ranked.push((score, id as u32, a.to_owned(), b.to_owned()));
            }
        }
    }
    ranked.sort_by(|x, y| y.0.total_cmp(&x.0).then(x.1.cmp(&y.1)));
    let merges = ranked.into_iter().map(|(_, _, a, b)| (a, b)).collect();
    let unk = file
        .u64("tokenizer.ggml.unknown_token_id")
        .and_then(|i| tokens.get(i as usize))
        .cloned();
    let mut builder = BPE::builder()
        .vocab_and_merges(vocab, merges)
        .byte_fallback(true)
        .fuse_unk(true);
    if let Some(unk) = unk {
        builder = builder.unk_token(unk);
    }
    let bpe = builder
        .build()
        .map_err(|e| file.invalid_key("tokenizer.ggml.tokens", &format!("{e}")))?;
    let mut t = Tokenizer::new(bpe);
    let prefix = file
        .get("tokenizer.ggml.add_space_prefix")
        .and_then(Value::as_bool)
        .unwrap_or(true);
    let replace = Replace::new(" ", "▁").map_err(|e| Error::Other(e.to_string()))?;
    let mut normalizers: Vec<NormalizerWrapper> = Vec::new();
    if prefix {
        normalizers.push(Prepend::new("▁".into()).into());
    }
    normalizers.push(replace.into());
    t.with_normalizer(Some(NormalizerSequence::new(normalizers)))
        .map_err(|e| Error::Other(format!("tokenizer normalizer: {e}")))?;
    let decoder_replace =
        tokenizers::normalizers::Replace::new("▁", " ").map_err(|e| Error::Other(e.to_string()))?;
    let mut decoders: Vec<DecoderWrapper> = vec![
        decoder_replace.into(),
        ByteFallback::new().into(),
        Fuse::new().into(),
    ];
    if prefix {
        decoders.push(Strip::new(' ', 1, 0).into());
    }
    t.with_decoder(Some(DecoderSequence::new(decoders)));
    Ok(t)
}
