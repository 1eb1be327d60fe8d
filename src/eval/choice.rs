//! Multiple choice and LAMBADA by log-likelihood, as lm-evaluation-harness
//! scores them.
//!
//! A request is a context and a continuation (`" " + choice`). Trailing
//! whitespace of the context moves to the continuation; the context is
//! tokenized alone and the continuation's tokens are those of the whole
//! string after the context's (lm-evaluation-harness `_encode_pair`). An empty
//! context is the model's prefix token. The choices of a question share their
//! context, which the model evaluates once.
//!
//! `acc` takes the choice of highest summed log-likelihood; `acc_norm`
//! divides each sum by the choice's length in characters first. Ties go to
//! the first choice, as numpy's argmax does.

use super::data::{ChoiceItem, LastWord};
use super::metrics::names::*;
use super::model::Continuations;
use super::perplexity::report;
use super::samples::{ItemScore, Scoresheet, prompt_hash};
use super::task::Scoring;
use super::{Cancel, LanguageModel, Observer, Result, Scored};

/// Context and continuation tokens of one request.
pub fn encode_pair(
    model: &dyn LanguageModel,
    context: &str,
    continuation: &str,
) -> Result<(Vec<u32>, Vec<u32>)> {
    let trimmed = context.trim_end();
    let (context, continuation) = (
        trimmed,
        format!("{}{continuation}", &context[trimmed.len()..]),
    );
    if context.is_empty() {
        return Ok((vec![model.prefix_token()?], model.encode(&continuation)?));
    }
    let context_tokens = model.encode(context)?;
    let whole = model.encode(&format!("{context}{continuation}"))?;
    let split = context_tokens.len().min(whole.len());
    Ok((context_tokens, whole[split..].to_vec()))
}

/// The log-likelihood of a continuation and whether every token was greedy.
fn total(scores: &[Scored]) -> (f64, bool) {
    (
        scores.iter().map(|s| s.logprob).sum(),
        scores.iter().all(|s| s.greedy),
    )
}

/// Index of the largest value, the first on ties.
pub fn argmax(values: &[f64]) -> usize {
    let mut best = 0;
    for (i, v) in values.iter().enumerate() {
        if *v > values[best] {
            best = i;
        }
    }
    best
}

/// Keeps at most `max_len + 1` tokens of context and continuation together,
/// dropping the oldest context tokens (lm-evaluation-harness truncation).
fn fit(mut context: Vec<u32>, longest: usize, max_len: usize) -> Vec<u32> {
    let room = (max_len + 1).saturating_sub(longest).max(1);
    if context.len() > room {
        context.drain(..context.len() - room);
    }
    context
}

/// What scoring one item takes: contexts with their continuations.
fn item_jobs(
    model: &dyn LanguageModel,
    item: &ChoiceItem,
    max_len: usize,
) -> Result<Vec<Continuations>> {
    match item {
        ChoiceItem::Continuations {
            context, choices, ..
        } => {
            let mut shared = None;
            let mut continuations = Vec::with_capacity(choices.len());
            for choice in choices {
                let (ctx, cont) = encode_pair(model, context, &format!(" {choice}"))?;
                shared.get_or_insert(ctx);
                continuations.push(cont);
            }
            let longest = continuations.iter().map(Vec::len).max().unwrap_or(0);
            let context = fit(shared.unwrap_or_default(), longest, max_len);
            Ok(vec![(context, continuations)])
        }
        ChoiceItem::Contexts {
            contexts,
            continuation,
            ..
        } => contexts
            .iter()
            .map(|context| {
                let (ctx, cont) = encode_pair(model, context, &format!(" {continuation}"))?;
                Ok((fit(ctx, cont.len(), max_len), vec![cont]))
            })
            .collect(),
    }
}

/// Items scored per call of [`LanguageModel::score_items`]: enough that the
/// threads scoring them side by side rarely wait on one another at the end,
/// few enough that progress and Ctrl-C are seen every few seconds.
const ITEMS_AT_ONCE: usize = 32;

/// Scores multiple-choice items: `acc`, and `acc_norm` when `norm`.
pub fn score_choices(
    model: &mut dyn LanguageModel,
    items: &[ChoiceItem],
    max_len: usize,
    norm: bool,
    observer: &mut dyn Observer,
    cancel: &Cancel,
) -> Result<Scoresheet> {
    let mut sheet = Scoresheet::new();
    observer.start(items.len() as u64);
    let mut done = 0;
    for batch in items.chunks(ITEMS_AT_ONCE) {
        cancel.check()?;
        let mut jobs = Vec::new();
        let mut owners = Vec::with_capacity(batch.len());
        for item in batch {
            let own = item_jobs(model, item, max_len)?;
            owners.push(own.len());
            jobs.extend(own);
        }
        let mut scores = model.score_items(&jobs)?.into_iter();
        for (item, count) in batch.iter().zip(owners) {
            // One likelihood per choice: the continuations of a shared
            // context, or the single continuation of each context.
            let lls: Vec<f64> = scores
                .by_ref()
                .take(count)
                .flat_map(|per_job| per_job.iter().map(|s| total(s).0).collect::<Vec<_>>())
                .collect();
            let gold = item.gold();
            let prediction = argmax(&lls);
            let mut score = ItemScore {
                prompt_hash: Some(choice_prompt_hash(item)),
                target: Some(gold.into()),
                prediction: Some(prediction),
                ..ItemScore::default()
            }
            .sum(ITEMS, 1.0)
            .sum(CORRECT, f64::from(u8::from(prediction == gold)));
            if let (true, ChoiceItem::Continuations { choices, .. }) = (norm, item) {
                let normalised: Vec<f64> = lls
                    .iter()
                    .zip(choices)
                    .map(|(ll, c)| ll / c.chars().count() as f64)
                    .collect();
                let prediction_norm = argmax(&normalised);
                score.prediction_norm = Some(prediction_norm);
                score = score.sum(CORRECT_NORM, f64::from(u8::from(prediction_norm == gold)));
            }
            score.loglikelihoods = lls;
            sheet.record(score);
            done += 1;
            report(observer, done, Scoring::Choice { norm }, &sheet.tally);
        }
    }
    Ok(sheet)
}

/// What the model is given for a multiple-choice item: the context(s) and
/// the continuation(s), as text.
fn choice_prompt_hash(item: &ChoiceItem) -> crate::digest::Sha256Hex {
    match item {
        ChoiceItem::Continuations {
            context, choices, ..
        } => {
            prompt_hash(std::iter::once(context.as_str()).chain(choices.iter().map(String::as_str)))
        }
        ChoiceItem::Contexts {
            contexts,
            continuation,
            ..
        } => prompt_hash(
            contexts
                .iter()
                .map(String::as_str)
                .chain(std::iter::once(continuation.as_str())),
        ),
    }
}

/// LAMBADA: the last word is right when every one of its tokens is the
/// model's greedy choice; its log-likelihood feeds the perplexity.
pub fn score_last_words(
    model: &mut dyn LanguageModel,
    items: &[LastWord],
    max_len: usize,
    observer: &mut dyn Observer,
    cancel: &Cancel,
) -> Result<Scoresheet> {
    let mut sheet = Scoresheet::new();
    observer.start(items.len() as u64);
    for (i, item) in items.iter().enumerate() {
        cancel.check()?;
        let (ctx, cont) = encode_pair(model, &item.context, &format!(" {}", item.word))?;
        let ctx = fit(ctx, cont.len(), max_len);
        let (ll, greedy) = total(&model.score_continuations(&ctx, &[cont])?[0]);
        sheet.record(
            ItemScore {
                prompt_hash: Some(prompt_hash([item.context.as_str(), item.word.as_str()])),
                target: Some(item.word.clone().into()),
                loglikelihoods: vec![ll],
                ..ItemScore::default()
            }
            .sum(ITEMS, 1.0)
            .sum(CORRECT, f64::from(u8::from(greedy)))
            .sum(LOGLIKELIHOOD, ll),
        );
        report(observer, i + 1, Scoring::LastWord, &sheet.tally);
    }
    Ok(sheet)
}
