//! Perplexity two ways.
//!
//! **Rolling** (lm-evaluation-harness `loglikelihood_rolling`): each document
//! is cut into disjoint windows of the maximum length `L`. The first window
//! is the prefix token followed by the first `L` tokens, all scored; each later
//! window scores the next `L` tokens conditioned on the single token before
//! them, except the last, shorter one, which is conditioned on as many
//! preceding tokens as make a full window. Every token is scored exactly once.
//!
//! **Chunked** (llama.cpp `llama-perplexity`): the whole text is tokenized
//! once (with BOS when the model's tokenizer adds one), cut into chunks of
//! `n_ctx` tokens (a trailing partial chunk is dropped), the first token of
//! each chunk is replaced by BOS when the model adds one, and only the
//! tokens after the first half of each chunk are scored.

use super::data::Document;
use super::metrics::{self, names::*};
use super::samples::{ItemScore, Scoresheet};
use super::task::Scoring;
use super::{Cancel, EvalError, LanguageModel, Observer, Result, Tally};

/// A model input and the position from which its tokens are scored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Window {
    pub tokens: Vec<u32>,
    pub from: usize,
}

/// lm-evaluation-harness's rolling windows, made disjoint.
pub fn rolling_windows(tokens: &[u32], prefix: u32, max_len: usize) -> Vec<Window> {
    let mut windows = Vec::new();
    if tokens.is_empty() {
        return windows;
    }
    let first = max_len.min(tokens.len());
    let mut seq = Vec::with_capacity(first + 1);
    seq.push(prefix);
    seq.extend_from_slice(&tokens[..first]);
    windows.push(Window {
        tokens: seq,
        from: 1,
    });
    let mut predicted = first;
    while predicted < tokens.len() {
        let len = max_len.min(tokens.len() - predicted);
        let end = predicted + len;
        windows.push(Window {
            tokens: tokens[end - max_len - 1..end].to_vec(),
            from: max_len + 1 - len,
        });
        predicted = end;
    }
    windows
}

/// Scores documents by rolling windows of `max_len` tokens.
pub fn score_documents(
    model: &mut dyn LanguageModel,
    docs: &[Document],
    max_len: usize,
    observer: &mut dyn Observer,
    cancel: &Cancel,
) -> Result<Scoresheet> {
    let prefix = model.prefix_token()?;
    let mut sheet = Scoresheet::new();
    observer.start(docs.len() as u64);
    for (i, doc) in docs.iter().enumerate() {
        cancel.check()?;
        let tokens = model.encode(&doc.text)?;
        let mut ll = 0.0;
        for window in rolling_windows(&tokens, prefix, max_len) {
            cancel.check()?;
            ll += model
                .score(&window.tokens, window.from)?
                .iter()
                .map(|s| s.logprob)
                .sum::<f64>();
        }
        sheet.record(
            ItemScore {
                loglikelihoods: vec![ll],
                ..ItemScore::default()
            }
            .sum(ITEMS, 1.0)
            .sum(LOGLIKELIHOOD, ll)
            .sum(WORDS, doc.words as f64)
            .sum(BYTES, doc.bytes as f64)
            .sum(TOKENS, tokens.len() as f64),
        );
        report(observer, i + 1, Scoring::Rolling, &sheet.tally);
    }
    Ok(sheet)
}

/// llama.cpp's chunks of a whole text: each chunk's tokens (BOS in front
/// when the model adds one).
pub fn chunks(model: &dyn LanguageModel, text: &str, n_ctx: usize) -> Result<Vec<Vec<u32>>> {
    if n_ctx < 4 {
        return Err(EvalError::Usage(format!(
            "--ctx {n_ctx} is too small for chunked perplexity"
        )));
    }
    let bos = model.chunk_bos();
    let mut tokens = Vec::new();
    tokens.extend(bos);
    tokens.extend(model.encode(text)?);
    Ok(tokens
        .chunks_exact(n_ctx)
        .map(|chunk| {
            let mut chunk = chunk.to_vec();
            if let Some(b) = bos {
                chunk[0] = b;
            }
            chunk
        })
        .collect())
}

/// Scores the second half of each chunk.
pub fn score_chunks(
    model: &mut dyn LanguageModel,
    chunks: &[Vec<u32>],
    observer: &mut dyn Observer,
    cancel: &Cancel,
) -> Result<Scoresheet> {
    let mut sheet = Scoresheet::new();
    observer.start(chunks.len() as u64);
    for (i, chunk) in chunks.iter().enumerate() {
        cancel.check()?;
        let first = chunk.len() / 2;
        let scores = model.score(chunk, first + 1)?;
        let (mut nll, mut nll2) = (0.0, 0.0);
        for s in &scores {
            nll -= s.logprob;
            nll2 += s.logprob * s.logprob;
        }
        sheet.record(
            ItemScore {
                loglikelihoods: vec![-nll],
                ..ItemScore::default()
            }
            .sum(ITEMS, 1.0)
            .sum(NLL, nll)
            .sum(NLL_SQUARED, nll2)
            .sum(TOKENS, scores.len() as f64),
        );
        report(observer, i + 1, Scoring::Chunked, &sheet.tally);
    }
    Ok(sheet)
}

/// Tells the observer how far along the task is and its running headline.
pub(crate) fn report(observer: &mut dyn Observer, done: usize, scoring: Scoring, tally: &Tally) {
    let name = metrics::headline(scoring);
    if let Some(m) = metrics::compute(scoring, tally).get(name) {
        observer.advance(done as u64, name, m.value);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rolling_windows_score_every_token_once() {
        let tokens: Vec<u32> = (10..20).collect();
        let w = rolling_windows(&tokens, 0, 4);
        assert_eq!(
            w,
            vec![
                Window {
                    tokens: vec![0, 10, 11, 12, 13],
                    from: 1
                },
                Window {
                    tokens: vec![13, 14, 15, 16, 17],
                    from: 1
                },
                Window {
                    tokens: vec![15, 16, 17, 18, 19],
                    from: 3
                },
            ]
        );
        for len in 1..30 {
            let tokens: Vec<u32> = (0..len).collect();
            for max in 1..8 {
                let scored: Vec<u32> = rolling_windows(&tokens, 99, max)
                    .iter()
                    .flat_map(|w| w.tokens[w.from..].to_vec())
                    .collect();
                assert_eq!(scored, tokens);
                assert!(
                    rolling_windows(&tokens, 99, max)
                        .iter()
                        .all(|w| w.tokens.len() <= max + 1)
                );
            }
        }
    }
}
