//! One evaluation: settings, data read up front, items scored, an outcome
//! ready to become an eval manifest.
//!
//! Data is read and checked before any model is loaded, so a malformed file
//! fails in milliseconds rather than after a minute of model loading.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde_yaml::Value;

use crate::digest::Sha256Hex;
use crate::manifest::{EvalSection, Kind, Manifest, Reference, Shard};

use super::data::{self, ChoiceItem, Document, LastWord, Pair};
use super::fewshot::{self, FewShot};
use super::metrics::{self, Metrics};
use super::samples::{Sample, Scoresheet, doc_hash};
use super::task::Scoring;
use super::{
    Cancel, EvalError, LanguageModel, Observer, Result, SentenceEncoder, ShardSpec, Tally, Task,
    choice, perplexity, selection, sts,
};

/// Every choice that changes the number.
#[derive(Debug, Clone)]
pub struct Settings {
    pub task: Task,
    pub data: PathBuf,
    /// Evaluate only the first N items (documents, chunks, questions, pairs).
    pub limit: Option<usize>,
    /// Draw the `limit` items with this seed instead of taking the first.
    pub limit_seed: Option<u64>,
    /// Examples before each item (multiple choice and LAMBADA).
    pub fewshot: FewShot,
    /// Window (rolling), chunk (chunked) or maximum sequence length.
    pub ctx: Option<usize>,
    pub shard: ShardSpec,
}

/// Default chunk length of llama.cpp's perplexity.
pub const DEFAULT_CHUNK: usize = 512;

enum Items {
    Documents(Vec<Document>),
    Text(String),
    Choices(Vec<ChoiceItem>),
    LastWords(Vec<LastWord>),
    Pairs(Vec<Pair>),
}

/// An evaluation whose data has been read and checked.
pub struct Evaluation {
    settings: Settings,
    items: Items,
    /// sha256 of each item as read (not of chunks, which depend on the
    /// model's tokenizer).
    doc_hashes: Vec<Sha256Hex>,
    data_sha256: Sha256Hex,
    config: BTreeMap<String, Value>,
}

/// What an evaluation produced.
#[derive(Debug, Clone)]
pub struct Outcome {
    pub task: Task,
    pub metrics: Metrics,
    pub tally: Tally,
    /// Items scored (of this shard).
    pub items: u64,
    /// Items the data holds, before `--limit` and sharding (unknown when
    /// merged from shards that did not record it).
    pub data_items: Option<u64>,
    pub shard: ShardSpec,
    pub data_sha256: Sha256Hex,
    pub config: BTreeMap<String, Value>,
    /// Each item scored, in order.
    pub samples: Vec<Sample>,
}

impl Evaluation {
    /// Reads the task's data.
    pub fn prepare(settings: Settings) -> Result<Evaluation> {
        let path = settings.data.as_path();
        let bytes = std::fs::read(path).map_err(|e| EvalError::file(path, e.to_string()))?;
        let mut config = BTreeMap::new();
        if let Some(limit) = settings.limit {
            config.insert("limit".into(), Value::from(limit as u64));
        }
        let mut items = match settings.task {
            Task::Perplexity => {
                let (docs, pages) = data::read_documents(path)?;
                let documents = if pages {
                    "wikitext-pages"
                } else {
                    "whole-file"
                };
                config.insert("documents".into(), documents.into());
                Items::Documents(docs)
            }
            Task::ChunkedPerplexity => Items::Text(data::read_text(path)?),
            Task::Choice(_) => {
                let (items, format) = data::read_choices(path)?;
                config.insert("format".into(), format.into());
                if format == "piqa" {
                    let labels = std::fs::read(data::sibling(path, "-labels.lst"))
                        .map_err(|e| EvalError::file(path, e.to_string()))?;
                    config.insert(
                        "labels_sha256".into(),
                        Sha256Hex::of_bytes(&labels).to_string().into(),
                    );
                }
                Items::Choices(items)
            }
            Task::Lambada => Items::LastWords(data::read_last_words(path)?),
            Task::Sts => Items::Pairs(data::read_pairs(path)?),
        };
        if let Some(seed) = settings.limit_seed {
            config.insert("limit_seed".into(), Value::from(seed));
        }
        // Hashed as read, before any few-shot examples are put in front.
        let doc_hashes = items.doc_hashes();
        prime(&mut items, &settings, &mut config)?;
        Ok(Evaluation {
            doc_hashes,
            data_sha256: Sha256Hex::of_bytes(&bytes),
            settings,
            items,
            config,
        })
    }

    pub fn settings(&self) -> &Settings {
        &self.settings
    }

    /// The items of `n` this run scores: the first `limit` (or `limit`
    /// drawn with `limit_seed`), then the shard's slice of them.
    fn select(&self, n: usize) -> Vec<usize> {
        let limited = selection::limited(n, self.settings.limit, self.settings.limit_seed);
        limited[self.settings.shard.range(limited.len())].to_vec()
    }

    /// Runs a causal-language-model task.
    pub fn run_language_model(
        self,
        model: &mut dyn LanguageModel,
        observer: &mut dyn Observer,
        cancel: &Cancel,
    ) -> Result<Outcome> {
        let mut config = self.config.clone();
        // The model accepts `context` tokens including the last scored one.
        let context = model.context_length();
        let longest = context.saturating_sub(1);
        let chosen = self.select(self.items.len());
        let (sheet, places, available) = match &self.items {
            Items::Documents(docs) => {
                let window = self.settings.ctx.unwrap_or(longest);
                check_ctx(window, longest)?;
                config.insert("window".into(), Value::from(window as u64));
                config.insert("prefix_token".into(), Value::from(model.prefix_token()?));
                let sheet = perplexity::score_documents(
                    model,
                    &pick(docs, &chosen),
                    window,
                    observer,
                    cancel,
                )?;
                (sheet, self.places(&chosen), docs.len())
            }
            Items::Text(text) => {
                let n_ctx = self.settings.ctx.unwrap_or(DEFAULT_CHUNK);
                check_ctx(n_ctx, context)?;
                config.insert("ctx".into(), Value::from(n_ctx as u64));
                config.insert("bos".into(), Value::from(model.chunk_bos().is_some()));
                let chunks = perplexity::chunks(model, text, n_ctx)?;
                if chunks.is_empty() {
                    return Err(EvalError::file(
                        &self.settings.data,
                        format!("the text is shorter than one chunk of {n_ctx} tokens"),
                    ));
                }
                let chosen = self.select(chunks.len());
                let sheet =
                    perplexity::score_chunks(model, &pick(&chunks, &chosen), observer, cancel)?;
                let places = chosen
                    .iter()
                    .map(|&i| (i as u64, chunk_hash(&chunks[i])))
                    .collect();
                (sheet, places, chunks.len())
            }
            Items::Choices(items) => {
                let max_len = self.settings.ctx.unwrap_or(longest);
                check_ctx(max_len, longest)?;
                config.insert("max_length".into(), Value::from(max_len as u64));
                let norm = matches!(self.settings.task.scoring(), Scoring::Choice { norm: true });
                let sheet = choice::score_choices(
                    model,
                    &pick(items, &chosen),
                    max_len,
                    norm,
                    observer,
                    cancel,
                )?;
                (sheet, self.places(&chosen), items.len())
            }
            Items::LastWords(items) => {
                let max_len = self.settings.ctx.unwrap_or(longest);
                check_ctx(max_len, longest)?;
                config.insert("max_length".into(), Value::from(max_len as u64));
                let sheet = choice::score_last_words(
                    model,
                    &pick(items, &chosen),
                    max_len,
                    observer,
                    cancel,
                )?;
                (sheet, self.places(&chosen), items.len())
            }
            Items::Pairs(_) => {
                return Err(EvalError::Usage(format!(
                    "`{}` needs a sentence encoder, not a causal language model",
                    self.settings.task
                )));
            }
        };
        Ok(self.finish(sheet, &places, available, config))
    }

    /// Each chosen item's place in the data and hash.
    fn places(&self, chosen: &[usize]) -> Vec<(u64, Sha256Hex)> {
        chosen
            .iter()
            .map(|&i| (i as u64, self.doc_hashes[i].clone()))
            .collect()
    }

    /// Runs a sentence-encoder task.
    pub fn run_encoder(
        self,
        encoder: &mut dyn SentenceEncoder,
        observer: &mut dyn Observer,
        cancel: &Cancel,
    ) -> Result<Outcome> {
        let Items::Pairs(pairs) = &self.items else {
            return Err(EvalError::Usage(format!(
                "`{}` needs a causal language model, not a sentence encoder",
                self.settings.task
            )));
        };
        let mut config = self.config.clone();
        config.insert("similarity".into(), "cosine".into());
        let chosen = self.select(pairs.len());
        let sheet = sts::score_pairs(encoder, &pick(pairs, &chosen), observer, cancel)?;
        let places = self.places(&chosen);
        let available = pairs.len();
        Ok(self.finish(sheet, &places, available, config))
    }

    fn finish(
        self,
        sheet: Scoresheet,
        places: &[(u64, Sha256Hex)],
        available: usize,
        config: BTreeMap<String, Value>,
    ) -> Outcome {
        let scoring = self.settings.task.scoring();
        let tally = sheet.tally.clone();
        Outcome {
            samples: sheet.samples(places),
            task: self.settings.task,
            metrics: metrics::compute(scoring, &tally),
            items: tally.sum(metrics::names::ITEMS) as u64,
            data_items: Some(available as u64),
            tally,
            shard: self.settings.shard,
            data_sha256: self.data_sha256,
            config,
        }
    }
}

impl Items {
    fn len(&self) -> usize {
        match self {
            Items::Documents(d) => d.len(),
            Items::Text(_) => 0,
            Items::Choices(c) => c.len(),
            Items::LastWords(l) => l.len(),
            Items::Pairs(p) => p.len(),
        }
    }

    /// sha256 of each item as read, from its fields.
    fn doc_hashes(&self) -> Vec<Sha256Hex> {
        use serde_json::json;
        match self {
            Items::Documents(docs) => docs
                .iter()
                .map(|d| Sha256Hex::of_bytes(d.text.as_bytes()))
                .collect(),
            Items::Text(_) => Vec::new(),
            Items::Choices(items) => items
                .iter()
                .map(|item| {
                    doc_hash(&match item {
                        ChoiceItem::Continuations {
                            context,
                            choices,
                            gold,
                        } => json!([context, choices, gold]),
                        ChoiceItem::Contexts {
                            contexts,
                            continuation,
                            gold,
                        } => json!([contexts, continuation, gold]),
                    })
                })
                .collect(),
            Items::LastWords(items) => items
                .iter()
                .map(|w| doc_hash(&json!([w.context, w.word])))
                .collect(),
            Items::Pairs(pairs) => pairs
                .iter()
                .map(|p| doc_hash(&json!([p.first, p.second, p.score])))
                .collect(),
        }
    }
}

/// sha256 of a chunk's token ids (little-endian u32).
fn chunk_hash(tokens: &[u32]) -> Sha256Hex {
    let bytes: Vec<u8> = tokens.iter().flat_map(|t| t.to_le_bytes()).collect();
    Sha256Hex::of_bytes(&bytes)
}

/// Puts `settings.fewshot` examples before each item the run selects (all
/// shards' items, so that a shard reads what the unsplit run reads) and
/// records the few-shot settings; refused for tasks without examples.
fn prime(
    items: &mut Items,
    settings: &Settings,
    config: &mut BTreeMap<String, Value>,
) -> Result<()> {
    let FewShot { shots, seed } = settings.fewshot;
    if shots == 0 {
        return Ok(());
    }
    // The items selected, in order, among `total`.
    let order = |total| selection::limited(total, settings.limit, settings.limit_seed);
    let primed = match items {
        Items::Choices(items) => {
            let order = order(items.len());
            fewshot::prime(items, &order, settings.fewshot)
        }
        Items::LastWords(items) => {
            let order = order(items.len());
            fewshot::prime(items, &order, settings.fewshot)
        }
        Items::Documents(_) | Items::Text(_) | Items::Pairs(_) => {
            return Err(EvalError::Usage(format!(
                "--num-fewshot applies to the multiple-choice tasks and lambada, not `{}`",
                settings.task
            )));
        }
    };
    primed.map_err(|e| EvalError::file(&settings.data, e))?;
    config.insert("num_fewshot".into(), Value::from(shots as u64));
    config.insert("fewshot_seed".into(), Value::from(seed));
    Ok(())
}

/// The items of `all` at `chosen`.
fn pick<T: Clone>(all: &[T], chosen: &[usize]) -> Vec<T> {
    chosen.iter().map(|&i| all[i].clone()).collect()
}

fn check_ctx(wanted: usize, model: usize) -> Result<()> {
    if wanted < 2 || wanted > model {
        return Err(EvalError::Usage(format!(
            "--ctx {wanted} is outside what the model accepts (2..={model})"
        )));
    }
    Ok(())
}

/// Who ran an evaluation, when, and with what.
#[derive(Debug, Clone)]
pub struct Provenance {
    pub model: Reference,
    pub engine: String,
    pub engine_version: String,
    pub date: String,
    pub duration_seconds: f64,
}

impl Outcome {
    /// The eval manifest recording this outcome (`model.id` must be an
    /// `org/name` manifest id).
    pub fn to_manifest(&self, provenance: &Provenance) -> Manifest {
        let shard = (self.shard.count > 1).then_some(self.shard);
        let id = eval_id(
            &provenance.model,
            self.task,
            &self.data_sha256,
            &self.config,
            shard,
        );
        let mut manifest = Manifest::new(Kind::Eval, id);
        manifest.eval = Some(EvalSection {
            model: provenance.model.clone(),
            task: self.task.name().to_owned(),
            dataset: None,
            data_sha256: Some(self.data_sha256.clone()),
            config: self.config.clone(),
            metrics: self.metrics.clone(),
            engine: provenance.engine.clone(),
            engine_version: provenance.engine_version.clone(),
            date: Some(provenance.date.clone()),
            duration_seconds: Some(round_seconds(provenance.duration_seconds)),
            shard: shard.map(|s| Shard {
                index: s.index,
                count: s.count,
            }),
            items: Some(self.items),
            data_items: self.data_items,
            tally: self.tally.to_record(),
            merged_from: Vec::new(),
            samples: None,
        });
        manifest
    }
}

fn round_seconds(s: f64) -> f64 {
    (s * 1000.0).round() / 1000.0
}

/// `org/name/<task>-<8 hex>` (`…-<k>of<n>` for a shard): the hex digits are
/// the digest of everything that determines the number, so re-running the
/// same evaluation replaces its record and a merge of shards lands on the id
/// of the unsplit run.
pub fn eval_id(
    model: &Reference,
    task: Task,
    data: &Sha256Hex,
    config: &BTreeMap<String, Value>,
    shard: Option<ShardSpec>,
) -> String {
    let key = serde_yaml::to_string(&(
        &model.id,
        model.digest.as_ref().map(Sha256Hex::as_str),
        task.name(),
        data.as_str(),
        config,
    ))
    .expect("serialisable");
    let digest = Sha256Hex::of_bytes(key.as_bytes());
    let mut id = format!("{}/{}-{}", model.id, task.name(), &digest.as_str()[..8]);
    if let Some(s) = shard {
        id.push_str(&format!("-{}of{}", s.index, s.count));
    }
    id
}

/// The data file for a task: `--data`, else the task's public data set under
/// `data_dir` (a folder laid out like `../shared/data`).
pub fn data_path(task: Task, data: Option<&Path>, data_dir: Option<&Path>) -> Result<PathBuf> {
    match (data, data_dir, task.default_data()) {
        (Some(file), _, _) if file.is_dir() => match task.default_data() {
            Some(rel) => Ok(file.join(rel)),
            None => Err(EvalError::Usage(format!(
                "{}: `{task}` needs a data file, not a folder",
                file.display()
            ))),
        },
        (Some(file), _, _) => Ok(file.to_path_buf()),
        (None, Some(dir), Some(rel)) => Ok(dir.join(rel)),
        _ => Err(EvalError::Usage(format!(
            "`{task}` needs its data: pass --data FILE (or set COMMONS_DATA to a folder laid out like the shared data)"
        ))),
    }
}
