//! [`CausalLm`]: a decoder language model (`arch`) with its tokenizer, loaded
//! from a GGUF file or a safetensors folder, for scoring and generation.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use serde::Serialize;

use super::arch;
use super::config::DecoderConfig;
use super::gguf::{GgufFile, TensorType};
use super::sampling::{Sampler, SamplingParams};
use super::tokenizer::TextTokenizer;
use super::transformer::{KvCache, Transformer};
use super::weights::{GgufWeights, SafetensorsWeights};
use crate::error::{Error, Result};

/// A causal language model ready to run.
pub struct CausalLm {
    model: Transformer,
    tokenizer: TextTokenizer,
    chat_template: Option<String>,
    info: ModelInfo,
}

/// The log-probability of one token given everything before it.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize)]
pub struct TokenScore {
    /// Natural-log probability, `log p(token | preceding tokens)`.
    pub logprob: f32,
    /// Whether the token was the model's most likely choice.
    pub greedy: bool,
}

/// What a loaded model is, for records and for people.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ModelInfo {
    /// As the files name it: `llama`, `qwen2`, `qwen3`, `mistral`,
    /// `phi3`, `gemma3`, `olmo2`, `bert`.
    pub architecture: String,
    /// `gguf` or `safetensors`.
    pub format: String,
    pub parameters: u64,
    /// The file's quantization as llama.cpp names it (`Q4_K_M`, `Q4_1`,
    /// `F16`, …; mixes such as Q4_K_M keep some matrices in other types),
    /// else the weight type of most matrices.
    pub quantization: String,
    pub context_length: usize,
    pub vocab_size: usize,
    pub layers: usize,
    pub hidden_size: usize,
    /// The code that computes: see [`super::engine_version`].
    pub engine: String,
}

/// A sequence being extended: the key/value state of what was fed so far,
/// within a context of at most `limit` positions.
pub struct Session {
    cache: KvCache,
    tokens: Vec<u32>,
    limit: usize,
}

impl Session {
    /// Tokens fed so far.
    pub fn len(&self) -> usize {
        self.cache.len()
    }

    pub fn is_empty(&self) -> bool {
        self.cache.is_empty()
    }

    /// The tokens fed so far, in order.
    pub fn tokens(&self) -> &[u32] {
        &self.tokens
    }

    /// Positions this sequence may hold.
    pub fn limit(&self) -> usize {
        self.limit
    }
}

/// Why generation stopped.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum StopReason {
    /// The model produced an end-of-sequence or end-of-turn token.
    EndOfText,
    /// `max_tokens` were generated.
    MaxTokens,
    /// The context window is full.
    ContextFull,
    /// The caller asked to stop.
    Cancelled,
}

/// The outcome of [`CausalLm::generate`].
#[derive(Debug, Clone)]
pub struct Generation {
    /// Generated tokens (the stop token excluded).
    pub tokens: Vec<u32>,
    pub stop: StopReason,
    /// The end-of-sequence or end-of-turn token that stopped it, if one did.
    pub end_token: Option<u32>,
    /// Tokens processed before the first one was chosen.
    pub prompt_tokens: usize,
    /// Tokens the session already held, whose key/value state was reused.
    pub reused_tokens: usize,
    /// Time to process the prompt and pick the first token.
    pub prompt_time: Duration,
    /// Time for every later token.
    pub decode_time: Duration,
}

impl CausalLm {
    /// Loads a GGUF file, or a folder holding `config.json`, safetensors
    /// weights and `tokenizer.json` (a folder holding exactly one GGUF file
    /// loads that file).
    pub fn load(path: &Path) -> Result<CausalLm> {
        if path.is_dir() {
            if path.join("config.json").is_file() {
                return Self::load_safetensors(path);
            }
            let ggufs = files_with_extension(path, "gguf")?;
            return match ggufs.as_slice() {
                [one] => Self::load_gguf(one),
                [] => Err(Error::NotFound(format!(
                    "{}: no model here (expected config.json with safetensors, or a .gguf file)",
                    path.display()
                ))),
                _ => Err(Error::Usage(format!(
                    "{}: holds several .gguf files; name the one to load",
                    path.display()
                ))),
            };
        }
        if is_gguf(path)? {
            return Self::load_gguf(path);
        }
        match path.parent() {
            Some(dir) if path.extension().is_some_and(|e| e == "safetensors") => {
                Self::load_safetensors(dir)
            }
            _ => Err(Error::Invalid {
                path: path.to_path_buf(),
                field: "format".into(),
                message: "not a GGUF file nor safetensors weights".into(),
            }),
        }
    }

    fn load_gguf(path: &Path) -> Result<CausalLm> {
        let file = GgufFile::open(path)?;
        let config = DecoderConfig::from_gguf(&file)?;
        let tokenizer = TextTokenizer::from_gguf(&file)?;
        tokenizer.check_against(config.vocab, path)?;
        let model = arch::load(config, &mut GgufWeights::new(&file)?)?;
        let mut counts: Vec<(TensorType, usize)> = Vec::new();
        for t in file.tensors.values().filter(|t| t.dims.len() == 2) {
            match counts.iter_mut().find(|c| c.0 == t.kind) {
                Some(c) => c.1 += 1,
                None => counts.push((t.kind, 1)),
            }
        }
        counts.sort_by_key(|c| (std::cmp::Reverse(c.1), c.0.id()));
        let quantization = file
            .u64("general.file_type")
            .and_then(file_type_name)
            .map(str::to_owned)
            .or_else(|| counts.first().map(|c| c.0.name()))
            .unwrap_or_else(|| "F32".into());
        let parameters = file
            .tensors
            .values()
            .map(|t| t.elements())
            .fold(0u64, u64::saturating_add);
        let chat_template = file.str("tokenizer.chat_template").map(str::to_owned);
        Ok(Self::assemble(
            model,
            tokenizer,
            chat_template,
            "gguf",
            quantization,
            parameters,
        ))
    }

    fn load_safetensors(dir: &Path) -> Result<CausalLm> {
        let config_path = dir.join("config.json");
        let text = crate::bounded::read_text(&config_path, super::MAX_CONFIG_BYTES)?;
        let config = DecoderConfig::from_hf(&config_path, &text)?;
        let files = files_with_extension(dir, "safetensors")?;
        if files.is_empty() {
            return Err(Error::NotFound(format!(
                "{}: no .safetensors weights",
                dir.display()
            )));
        }
        let tokenizer = TextTokenizer::from_folder(dir)?;
        tokenizer.check_against(config.vocab, &dir.join("tokenizer.json"))?;
        let dtype = safetensors_dtype(&files[0]).unwrap_or_else(|| "F32".into());
        let model = arch::load(config, &mut SafetensorsWeights::open(dir, &files)?)?;
        let parameters = safetensors_parameters(&files);
        let chat_template = folder_chat_template(dir);
        Ok(Self::assemble(
            model,
            tokenizer,
            chat_template,
            "safetensors",
            dtype,
            parameters,
        ))
    }

    fn assemble(
        model: Transformer,
        tokenizer: TextTokenizer,
        chat_template: Option<String>,
        format: &str,
        quantization: String,
        parameters: u64,
    ) -> CausalLm {
        let c = &model.config;
        let info = ModelInfo {
            architecture: c.arch.name().to_owned(),
            format: format.to_owned(),
            parameters,
            quantization,
            context_length: c.context_length,
            vocab_size: c.vocab,
            layers: c.layers,
            hidden_size: c.hidden,
            engine: super::engine_version(),
        };
        CausalLm {
            model,
            tokenizer,
            chat_template,
            info,
        }
    }

    pub fn encode(&self, text: &str, add_bos: bool) -> Result<Vec<u32>> {
        self.tokenizer.encode(text, add_bos)
    }

    pub fn decode(&self, ids: &[u32]) -> Result<String> {
        self.tokenizer.decode(ids)
    }

    pub fn context_length(&self) -> usize {
        self.model.config.context_length
    }

    pub fn bos_token(&self) -> Option<u32> {
        self.tokenizer.bos()
    }

    pub fn eos_token(&self) -> Option<u32> {
        self.tokenizer.eos()
    }

    /// Whether the model expects BOS before a prompt (GGUF
    /// `tokenizer.ggml.add_bos_token`, `tokenizer_config.json`'s `add_bos_token`).
    pub fn adds_bos(&self) -> bool {
        self.tokenizer.add_bos()
    }

    pub fn tokenizer(&self) -> &TextTokenizer {
        &self.tokenizer
    }

    /// The Jinja chat template stored with the model, if any.
    pub fn chat_template(&self) -> Option<&str> {
        self.chat_template.as_deref()
    }

    pub fn describe(&self) -> ModelInfo {
        self.info.clone()
    }

    /// For `j in score_from..tokens.len()`: `log p(tokens[j] | tokens[..j])`
    /// and whether `tokens[j]` was the argmax. One fresh sequence; the
    /// vocabulary projection is computed only for scored positions.
    /// `score_from` must be at least 1 (the first token has no context).
    pub fn score(&self, tokens: &[u32], score_from: usize) -> Result<Vec<TokenScore>> {
        if score_from == 0 {
            return Err(Error::Usage(
                "cannot score the first token: it has no context (score from 1)".into(),
            ));
        }
        if score_from >= tokens.len() {
            return Ok(Vec::new());
        }
        self.check_fits(tokens.len())?;
        let mut cache = self.model.new_cache();
        let want: Vec<usize> = (score_from - 1..tokens.len() - 1).collect();
        let hidden = self
            .model
            .forward(&tokens[..tokens.len() - 1], &mut cache, &want)?;
        Ok(self.score_rows(&hidden, &tokens[score_from..]))
    }

    /// The shared `context` evaluated once, then each continuation scored
    /// from its key/value state: `result[i][j]` scores `continuations[i][j]`
    /// given the context and `continuations[i][..j]`.
    pub fn score_continuations(
        &self,
        context: &[u32],
        continuations: &[Vec<u32>],
    ) -> Result<Vec<Vec<TokenScore>>> {
        if context.is_empty() {
            return Err(Error::Usage(
                "the context to score continuations from is empty (start it with BOS)".into(),
            ));
        }
        let longest = continuations.iter().map(Vec::len).max().unwrap_or(0);
        self.check_fits(context.len() + longest)?;
        // Every continuation's tokens but its last, in one batch with the
        // shared context.
        let branches: Vec<&[u32]> = continuations
            .iter()
            .filter(|c| c.len() > 1)
            .map(|c| &c[..c.len() - 1])
            .collect();
        let hidden = self.model.forward_branches(context, &branches)?;
        let d = self.model.config.hidden;
        let context_logits = self.model.logits(&hidden[..d], 1);
        let hidden = &hidden[d..];
        let targets: Vec<u32> = continuations
            .iter()
            .filter(|c| c.len() > 1)
            .flat_map(|c| c[1..].iter().copied())
            .collect();
        let mut later = self.score_rows(hidden, &targets).into_iter();
        Ok(continuations
            .iter()
            .map(|cont| match cont.split_first() {
                None => Vec::new(),
                Some((&first, rest)) => std::iter::once(score_of(&context_logits, first))
                    .chain(later.by_ref().take(rest.len()))
                    .collect(),
            })
            .collect())
    }

    /// Scores `targets[i]` against the logits of hidden row `i`.
    fn score_rows(&self, hidden: &[f32], targets: &[u32]) -> Vec<TokenScore> {
        self.model
            .target_scores(hidden, targets)
            .into_iter()
            .map(|(logprob, greedy)| TokenScore { logprob, greedy })
            .collect()
    }

    fn check_fits(&self, tokens: usize) -> Result<()> {
        let ctx = self.context_length();
        if tokens > ctx {
            return Err(Error::Usage(format!(
                "{tokens} tokens do not fit the model's context of {ctx} tokens; shorten the input"
            )));
        }
        Ok(())
    }

    /// A new, empty sequence as long as the model's context.
    pub fn session(&self) -> Session {
        self.session_with_context(self.context_length())
    }

    /// A new, empty sequence of at most `context` positions (llama.cpp's
    /// `--ctx-size`), never more than the model's context.
    pub fn session_with_context(&self, context: usize) -> Session {
        Session {
            cache: self.model.new_cache(),
            tokens: Vec::new(),
            limit: context.min(self.context_length()),
        }
    }

    /// Feeds `tokens` after what `session` holds; returns the vocabulary
    /// logits after the last of them.
    pub fn feed(&self, session: &mut Session, tokens: &[u32]) -> Result<Vec<f32>> {
        if tokens.is_empty() {
            return Err(Error::Usage(
                "nothing to feed: the token list is empty".into(),
            ));
        }
        let total = session.len() + tokens.len();
        if total > session.limit {
            return Err(Error::Usage(format!(
                "{total} tokens do not fit {}; shorten the input",
                self.context_name(session)
            )));
        }
        let hidden = self
            .model
            .forward(tokens, &mut session.cache, &[tokens.len() - 1])?;
        session.tokens.extend_from_slice(tokens);
        Ok(self.model.logits(&hidden, 1))
    }

    /// "the model's context of N tokens", or the session's shorter one.
    fn context_name(&self, session: &Session) -> String {
        if session.limit == self.context_length() {
            format!("the model's context of {} tokens", session.limit)
        } else {
            format!("the context of {} tokens", session.limit)
        }
    }

    /// Generates up to `max_tokens` after `prompt`, calling `on_token` with
    /// each one as soon as it is chosen (return `false` to stop).
    pub fn generate(
        &self,
        prompt: &[u32],
        params: SamplingParams,
        max_tokens: usize,
        on_token: impl FnMut(u32) -> Result<bool>,
    ) -> Result<Generation> {
        let mut session = self.session();
        self.generate_in(&mut session, prompt, params, max_tokens, on_token)
    }

    /// Generates as [`CausalLm::generate`] does, after `prompt` is fed to a
    /// session that may already hold earlier tokens (a conversation): only
    /// the new tokens are processed. The end token (and the last token when
    /// `max_tokens` stopped it) is not fed; a later call feeds it with its
    /// prompt.
    pub fn generate_in(
        &self,
        session: &mut Session,
        prompt: &[u32],
        params: SamplingParams,
        max_tokens: usize,
        mut on_token: impl FnMut(u32) -> Result<bool>,
    ) -> Result<Generation> {
        if prompt.is_empty() {
            return Err(Error::Usage("the prompt is empty".into()));
        }
        let reused_tokens = session.len();
        if reused_tokens + prompt.len() >= session.limit {
            return Err(Error::Usage(format!(
                "the prompt is {} tokens, longer than {} minus one to generate; shorten it",
                reused_tokens + prompt.len(),
                self.context_name(session)
            )));
        }
        let start = Instant::now();
        let mut sampler = Sampler::new(params);
        let mut logits = self.feed(session, prompt)?;
        let seen = session.tokens.len().saturating_sub(params.repeat_last_n);
        session.tokens[seen..]
            .iter()
            .for_each(|&t| sampler.accept(t));
        let mut tokens = Vec::new();
        let mut end_token = None;
        let mut prompt_time = None;
        let stop = loop {
            if tokens.len() >= max_tokens {
                break StopReason::MaxTokens;
            }
            let next = sampler.sample(&logits);
            prompt_time.get_or_insert_with(|| start.elapsed());
            if self.tokenizer.is_stop(next) {
                end_token = Some(next);
                break StopReason::EndOfText;
            }
            tokens.push(next);
            sampler.accept(next);
            if !on_token(next)? {
                break StopReason::Cancelled;
            }
            if session.len() + 1 > session.limit {
                break StopReason::ContextFull;
            }
            if tokens.len() < max_tokens {
                logits = self.feed(session, &[next])?;
            }
        };
        let prompt_time = prompt_time.unwrap_or_else(|| start.elapsed());
        Ok(Generation {
            tokens,
            stop,
            end_token,
            prompt_tokens: prompt.len(),
            reused_tokens,
            prompt_time,
            decode_time: start.elapsed().saturating_sub(prompt_time),
        })
    }
}

fn score_of(logits: &[f32], target: u32) -> TokenScore {
    let t = target as usize;
    let (max, first, sum) = super::vector::softmax_stats(logits);
    TokenScore {
        logprob: (logits[t] - max) - sum.ln() as f32,
        greedy: first == t,
    }
}

fn is_gguf(path: &Path) -> Result<bool> {
    use std::io::Read;
    let mut magic = [0u8; 4];
    let mut f = std::fs::File::open(path).map_err(|e| Error::io(path, e))?;
    Ok(f.read_exact(&mut magic).is_ok() && &magic == b"GGUF")
}

fn files_with_extension(dir: &Path, ext: &str) -> Result<Vec<PathBuf>> {
    let mut out: Vec<PathBuf> = std::fs::read_dir(dir)
        .map_err(|e| Error::io(dir, e))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.is_file() && p.extension().is_some_and(|e| e == ext))
        .collect();
    out.sort();
    Ok(out)
}

/// The JSON header of a safetensors file.
fn safetensors_header(path: &Path) -> Option<serde_json::Map<String, serde_json::Value>> {
    use std::io::Read;
    let mut f = std::fs::File::open(path).ok()?;
    let mut len = [0u8; 8];
    f.read_exact(&mut len).ok()?;
    let len = u64::from_le_bytes(len).min(1 << 26) as usize;
    let mut header = Vec::new();
    f.take(len as u64).read_to_end(&mut header).ok()?;
    if header.len() != len {
        return None;
    }
    match serde_json::from_slice(&header).ok()? {
        serde_json::Value::Object(map) => Some(map),
        _ => None,
    }
}

/// The dtype of the first tensor in a safetensors header.
pub(super) fn safetensors_dtype(path: &Path) -> Option<String> {
    safetensors_header(path)?
        .iter()
        .filter(|(k, _)| *k != "__metadata__")
        .find_map(|(_, v)| v.get("dtype")?.as_str().map(str::to_owned))
}

/// Elements in every tensor of the files.
pub(super) fn safetensors_parameters(files: &[PathBuf]) -> u64 {
    files
        .iter()
        .filter_map(|f| safetensors_header(f))
        .flat_map(|h| h.into_iter())
        .filter(|(k, _)| k != "__metadata__")
        .filter_map(|(_, v)| {
            v.get("shape")?
                .as_array()
                .and_then(|s| s.iter().try_fold(1u64, |n, d| n.checked_mul(d.as_u64()?)))
        })
        .fold(0u64, u64::saturating_add)
}

/// `chat_template` of `tokenizer_config.json`: a string, or a list of named
/// templates of which `default` is taken.
fn folder_chat_template(dir: &Path) -> Option<String> {
    let text =
        crate::bounded::read_text(&dir.join("tokenizer_config.json"), super::MAX_CONFIG_BYTES)
            .ok()?;
    let json: serde_json::Value = serde_json::from_str(&text).ok()?;
    match json.get("chat_template")? {
        serde_json::Value::String(s) => Some(s.clone()),
        serde_json::Value::Array(list) => list
            .iter()
            .find(|t| t.get("name").and_then(|n| n.as_str()) == Some("default"))
            .and_then(|t| t.get("template")?.as_str().map(str::to_owned)),
        _ => None,
    }
}

/// The name of a GGUF `general.file_type` (llama.cpp's `llama_ftype`), as
/// quantized files are named after it.
fn file_type_name(file_type: u64) -> Option<&'static str> {
    Some(match file_type {
        0 => "F32",
        1 => "F16",
        2 => "Q4_0",
        3 => "Q4_1",
        7 => "Q8_0",
        8 => "Q5_0",
        9 => "Q5_1",
        10 => "Q2_K",
        11 => "Q3_K_S",
        12 => "Q3_K_M",
        13 => "Q3_K_L",
        14 => "Q4_K_S",
        15 => "Q4_K_M",
        16 => "Q5_K_S",
        17 => "Q5_K_M",
        18 => "Q6_K",
        19 => "IQ2_XXS",
        20 => "IQ2_XS",
        21 => "Q2_K_S",
        22 => "IQ3_XS",
        23 => "IQ3_XXS",
        24 => "IQ1_S",
        25 => "IQ4_NL",
        26 => "IQ3_S",
        27 => "IQ3_M",
        28 => "IQ2_S",
        29 => "IQ2_M",
        30 => "IQ4_XS",
        31 => "IQ1_M",
        32 => "BF16",
        36 => "TQ1_0",
        37 => "TQ2_0",
        _ => return None,
    })
}
