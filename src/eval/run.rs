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
use super::metrics::{self, Metrics};
use super::task::Scoring;
use super::{
    Cancel, EvalError, LanguageModel, Observer, Result, SentenceEncoder, ShardSpec, Tally, Task,
    choice, perplexity, sts,
};

/// Every choice that changes the number.
#[derive(Debug, Clone)]
pub struct Settings {
    pub task: Task,
    pub data: PathBuf,
    /// Evaluate only the first N items (documents, chunks, questions, pairs).
    pub limit: Option<usize>,
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
        let items = match settings.task {
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
        Ok(Evaluation {
            data_sha256: Sha256Hex::of_bytes(&bytes),
            settings,
            items,
            config,
        })
    }

    pub fn settings(&self) -> &Settings {
        &self.settings
    }

    /// The slice of `n` items this run scores: the first `limit`, then the shard.
    fn select(&self, n: usize) -> std::ops::Range<usize> {
        let n = self.settings.limit.map_or(n, |l| l.min(n));
        self.settings.shard.range(n)
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
        let (tally, available) = match &self.items {
            Items::Documents(docs) => {
                let window = self.settings.ctx.unwrap_or(longest);
                check_ctx(window, longest)?;
                config.insert("window".into(), Value::from(window as u64));
                config.insert("prefix_token".into(), Value::from(model.prefix_token()?));
                let tally = perplexity::score_documents(
                    model,
                    &docs[self.select(docs.len())],
                    window,
                    observer,
                    cancel,
                )?;
                (tally, docs.len())
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
                let tally = perplexity::score_chunks(
                    model,
                    &chunks[self.select(chunks.len())],
                    observer,
                    cancel,
                )?;
                (tally, chunks.len())
            }
            Items::Choices(items) => {
                let max_len = self.settings.ctx.unwrap_or(longest);
                check_ctx(max_len, longest)?;
                config.insert("max_length".into(), Value::from(max_len as u64));
                let norm = matches!(self.settings.task.scoring(), Scoring::Choice { norm: true });
                let tally = choice::score_choices(
                    model,
                    &items[self.select(items.len())],
                    max_len,
                    norm,
                    observer,
                    cancel,
                )?;
                (tally, items.len())
            }
            Items::LastWords(items) => {
                let max_len = self.settings.ctx.unwrap_or(longest);
                check_ctx(max_len, longest)?;
                config.insert("max_length".into(), Value::from(max_len as u64));
                let tally = choice::score_last_words(
                    model,
                    &items[self.select(items.len())],
                    max_len,
                    observer,
                    cancel,
                )?;
                (tally, items.len())
            }
            Items::Pairs(_) => {
                return Err(EvalError::Usage(format!(
                    "`{}` needs a sentence encoder, not a causal language model",
                    self.settings.task
                )));
            }
        };
        Ok(self.finish(tally, available, config))
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
        let tally = sts::score_pairs(encoder, &pairs[self.select(pairs.len())], observer, cancel)?;
        let available = pairs.len();
        Ok(self.finish(tally, available, config))
    }

    fn finish(self, tally: Tally, available: usize, config: BTreeMap<String, Value>) -> Outcome {
        let scoring = self.settings.task.scoring();
        Outcome {
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
