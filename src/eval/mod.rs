//! Local evaluation whose numbers mean what the same numbers mean elsewhere.
//!
//! The conventions are those researchers already compare against:
//! lm-evaluation-harness for multiple choice (`acc`, `acc_norm`), rolling
//! perplexity and LAMBADA; llama.cpp's `llama-perplexity` for chunked
//! perplexity; sentence-transformers for STS correlations.
//!
//! The module is shaped around three steps, each its own file:
//! - [`data`] reads task files (WikiText, HellaSwag, llm-foundry JSONL, PIQA,
//!   WinoGrande, LAMBADA, STS-B) into items; errors name the file and line;
//! - the runners ([`perplexity`], [`choice`], [`sts`]) score items with a
//!   [`LanguageModel`] or [`SentenceEncoder`] and add each item's raw sums to a
//!   [`Tally`];
//! - [`metrics`] turns a tally into metrics with standard errors.
//!
//! A tally holds exact sums, so the tallies of the shards of an evaluation
//! (see [`shard`]) add up to the tally of one unsplit run bit for bit, and
//! [`merge`] reproduces its metrics exactly. Nothing here prints: progress is
//! reported through [`Observer`], and cancellation is a flag the caller sets.

pub mod choice;
pub mod data;
pub mod diff;
mod error;
pub mod fewshot;
pub mod merge;
pub mod metrics;
mod model;
pub mod perplexity;
mod pyrandom;
pub mod run;
pub mod samples;
mod selection;
pub mod shard;
pub mod sts;
mod tally;
pub mod task;

pub use error::{EvalError, Result};
pub use fewshot::FewShot;
pub use model::{Continuations, LanguageModel, Scored, SentenceEncoder};
pub use run::{Evaluation, Outcome, Settings};
pub use shard::{ShardRequest, ShardSpec};
pub use tally::Tally;
pub use task::{Preset, Task};

use std::sync::atomic::{AtomicBool, Ordering};

/// Receives progress while an evaluation runs: items done, and the running
/// value of the task's headline metric.
pub trait Observer {
    fn start(&mut self, items: u64);
    fn advance(&mut self, done: u64, metric: &str, value: f64);
}

/// An observer that ignores everything.
pub struct Silent;

impl Observer for Silent {
    fn start(&mut self, _items: u64) {}
    fn advance(&mut self, _done: u64, _metric: &str, _value: f64) {}
}

/// Checked between items: when set, the evaluation stops with
/// [`EvalError::Interrupted`] and returns no result.
#[derive(Debug, Default)]
pub struct Cancel(AtomicBool);

impl Cancel {
    pub fn new() -> Cancel {
        Cancel(AtomicBool::new(false))
    }

    pub fn cancel(&self) {
        self.0.store(true, Ordering::SeqCst);
    }

    pub fn check(&self) -> Result<()> {
        if self.0.load(Ordering::SeqCst) {
            Err(EvalError::Interrupted)
        } else {
            Ok(())
        }
    }
}
