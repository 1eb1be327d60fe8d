//! Embedding similarity on STS pairs (sentence-transformers'
//! `EmbeddingSimilarityEvaluator`, cosine): each pair's cosine similarity,
//! correlated with the gold scores.

use super::data::Pair;
use super::metrics::names::*;
use super::perplexity::report;
use super::samples::{ItemScore, Scoresheet, prompt_hash};
use super::task::Scoring;
use super::{Cancel, EvalError, Observer, Result, SentenceEncoder};

/// Pairs embedded per call to the encoder.
const BATCH: usize = 32;

pub fn cosine(a: &[f32], b: &[f32]) -> f64 {
    let (mut ab, mut aa, mut bb) = (0.0f64, 0.0f64, 0.0f64);
    for (x, y) in a.iter().zip(b) {
        let (x, y) = (f64::from(*x), f64::from(*y));
        ab += x * y;
        aa += x * x;
        bb += y * y;
    }
    ab / (aa.sqrt() * bb.sqrt())
}

pub fn score_pairs(
    encoder: &mut dyn SentenceEncoder,
    pairs: &[Pair],
    observer: &mut dyn Observer,
    cancel: &Cancel,
) -> Result<Scoresheet> {
    let mut sheet = Scoresheet::new();
    observer.start(pairs.len() as u64);
    let mut done = 0;
    for batch in pairs.chunks(BATCH) {
        cancel.check()?;
        let texts: Vec<&str> = batch
            .iter()
            .flat_map(|p| [p.first.as_str(), p.second.as_str()])
            .collect();
        let vectors = encoder.embed(&texts)?;
        if vectors.len() != texts.len() {
            return Err(EvalError::Model(format!(
                "{} embeddings for {} texts",
                vectors.len(),
                texts.len()
            )));
        }
        for (pair, v) in batch.iter().zip(vectors.chunks(2)) {
            sheet.record(
                ItemScore {
                    prompt_hash: Some(prompt_hash([pair.first.as_str(), pair.second.as_str()])),
                    target: Some(pair.score.into()),
                    ..ItemScore::default()
                }
                .sum(ITEMS, 1.0)
                .push(COSINE, cosine(&v[0], &v[1]))
                .push(GOLD, pair.score),
            );
        }
        done += batch.len();
        report(observer, done, Scoring::Similarity, &sheet.tally);
    }
    Ok(sheet)
}
