//! The tasks `commons eval` runs, and where their data usually lives.

use std::fmt;

use super::{EvalError, Result};

/// A multiple-choice benchmark with a known data layout.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Preset {
    Hellaswag,
    ArcEasy,
    ArcChallenge,
    Piqa,
    Winogrande,
    /// Any `{context, choices, gold}` JSONL file.
    Generic,
}

/// What is evaluated.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Task {
    /// lm-evaluation-harness rolling-window perplexity over documents.
    Perplexity,
    /// llama.cpp `llama-perplexity`: chunks of the context, second half scored.
    ChunkedPerplexity,
    Choice(Preset),
    /// LAMBADA: accuracy and perplexity of the last word.
    Lambada,
    /// Embedding similarity on STS pairs.
    Sts,
}

/// How a task's items become metrics (see `metrics::compute`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scoring {
    Choice { norm: bool },
    LastWord,
    Rolling,
    Chunked,
    Similarity,
}

/// Every name `--task` accepts.
pub const TASK_NAMES: &[&str] = &[
    "perplexity",
    "hellaswag",
    "arc-easy",
    "arc-challenge",
    "piqa",
    "winogrande",
    "lambada",
    "choice",
    "sts",
];

impl Task {
    /// The task named on the command line; `chunked` selects llama.cpp's
    /// perplexity.
    pub fn parse(name: &str, chunked: bool) -> Result<Task> {
        let task = match name {
            "perplexity" if chunked => Task::ChunkedPerplexity,
            "perplexity" => Task::Perplexity,
            "perplexity-chunked" => Task::ChunkedPerplexity,
            "hellaswag" => Task::Choice(Preset::Hellaswag),
            "arc-easy" => Task::Choice(Preset::ArcEasy),
            "arc-challenge" => Task::Choice(Preset::ArcChallenge),
            "piqa" => Task::Choice(Preset::Piqa),
            "winogrande" => Task::Choice(Preset::Winogrande),
            "choice" => Task::Choice(Preset::Generic),
            "lambada" => Task::Lambada,
            "sts" => Task::Sts,
            other => {
                return Err(EvalError::Usage(format!(
                    "unknown task `{other}`; tasks are: {}",
                    TASK_NAMES.join(", ")
                )));
            }
        };
        if chunked && task != Task::ChunkedPerplexity {
            return Err(EvalError::Usage(format!(
                "--chunked applies to `perplexity`, not `{name}`"
            )));
        }
        Ok(task)
    }

    /// The name recorded in manifests (and accepted back by [`Task::parse`]).
    pub fn name(self) -> &'static str {
        match self {
            Task::Perplexity => "perplexity",
            Task::ChunkedPerplexity => "perplexity-chunked",
            Task::Choice(Preset::Hellaswag) => "hellaswag",
            Task::Choice(Preset::ArcEasy) => "arc-easy",
            Task::Choice(Preset::ArcChallenge) => "arc-challenge",
            Task::Choice(Preset::Piqa) => "piqa",
            Task::Choice(Preset::Winogrande) => "winogrande",
            Task::Choice(Preset::Generic) => "choice",
            Task::Lambada => "lambada",
            Task::Sts => "sts",
        }
    }

    pub fn scoring(self) -> Scoring {
        match self {
            Task::Perplexity => Scoring::Rolling,
            Task::ChunkedPerplexity => Scoring::Chunked,
            Task::Choice(Preset::Winogrande) => Scoring::Choice { norm: false },
            Task::Choice(_) => Scoring::Choice { norm: true },
            Task::Lambada => Scoring::LastWord,
            Task::Sts => Scoring::Similarity,
        }
    }

    /// Whether the task needs a sentence encoder rather than a causal model.
    pub fn needs_encoder(self) -> bool {
        self == Task::Sts
    }

    /// Where the public data set for this task lies inside a data folder
    /// laid out like `../shared/data` (`--data` overrides it).
    pub fn default_data(self) -> Option<&'static str> {
        Some(match self {
            Task::Perplexity | Task::ChunkedPerplexity => "wikitext2/wiki.test.raw",
            Task::Choice(Preset::Hellaswag) => "hellaswag/hellaswag_val_full.txt",
            Task::Choice(Preset::ArcEasy) => "arc_easy/arc_easy.llmfoundry.jsonl",
            Task::Choice(Preset::ArcChallenge) => "arc_challenge/arc_challenge.llmfoundry.jsonl",
            Task::Choice(Preset::Piqa) => "piqa/valid.jsonl",
            Task::Choice(Preset::Winogrande) => "winogrande/winogrande_1.1_dev.jsonl",
            Task::Choice(Preset::Generic) => return None,
            Task::Lambada => "lambada/lambada_openai.llmfoundry.jsonl",
            Task::Sts => "stsb/sts-test.csv",
        })
    }
}

impl fmt::Display for Task {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip() {
        for name in TASK_NAMES {
            assert_eq!(
                Task::parse(name, false).unwrap().name(),
                if *name == "perplexity" {
                    "perplexity"
                } else {
                    name
                }
            );
        }
        assert_eq!(
            Task::parse("perplexity", true).unwrap(),
            Task::ChunkedPerplexity
        );
        assert_eq!(
            Task::parse(Task::ChunkedPerplexity.name(), false).unwrap(),
            Task::ChunkedPerplexity
        );
    }

    #[test]
    fn chunked_only_applies_to_perplexity() {
        assert!(
            Task::parse("hellaswag", true)
                .unwrap_err()
                .to_string()
                .contains("--chunked")
        );
        assert!(
            Task::parse("mmlu", false)
                .unwrap_err()
                .to_string()
                .contains("unknown task `mmlu`")
        );
    }
}
