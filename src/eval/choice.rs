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
use super::perplexity::report;
use super::task::Scoring;
use super::{Cancel, LanguageModel, Observer, Result, Scored, Tally};

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

/// The summed log-likelihood of each choice of one item.
fn choice_loglikelihoods(
    model: &mut dyn LanguageModel,
    item: &ChoiceItem,
    max_len: usize,
) -> Result<Vec<f64>> {
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
            let scores = model.score_continuations(&context, &continuations)?;
            Ok(scores.iter().map(|s| total(s).0).collect())
        }
        ChoiceItem::Contexts {
            contexts,
            continuation,
            ..
        } => contexts
            .iter()
            .map(|context| {
                let (ctx, cont) = encode_pair(model, context, &format!(" {continuation}"))?;
                let ctx = fit(ctx, cont.len(), max_len);
                Ok(total(&model.score_continuations(&ctx, &[cont])?[0]).0)
            })
            .collect(),
    }
}

/// Scores multiple-choice items: `acc`, and `acc_norm` when `norm`.
pub fn score_choices(
    model: &mut dyn LanguageModel,
    items: &[ChoiceItem],
    max_len: usize,
    norm: bool,
    observer: &mut dyn Observer,
    cancel: &Cancel,
) -> Result<Tally> {
    let mut tally = Tally::new();
    observer.start(items.len() as u64);
    for (i, item) in items.iter().enumerate() {
        cancel.check()?;
        let lls = choice_loglikelihoods(model, item, max_len)?;
        tally.add(ITEMS, 1.0);
        tally.add(CORRECT, f64::from(u8::from(argmax(&lls) == item.gold())));
        if let (true, ChoiceItem::Continuations { choices, .. }) = (norm, item) {
            let normalised: Vec<f64> = lls
                .iter()
                .zip(choices)
                .map(|(ll, c)| ll / c.chars().count() as f64)
                .collect();
            tally.add(
                CORRECT_NORM,
                f64::from(u8::from(argmax(&normalised) == item.gold())),
            );
        }
        report(observer, i + 1, Scoring::Choice { norm }, &tally);
    }
    Ok(tally)
}

/// LAMBADA: the last word is right when every one of its tokens is the
/// model's greedy choice; its log-likelihood feeds the perplexity.
pub fn score_last_words(
    model: &mut dyn LanguageModel,
    items: &[LastWord],
    max_len: usize,
    observer: &mut dyn Observer,
    cancel: &Cancel,
) -> Result<Tally> {
    let mut tally = Tally::new();
    observer.start(items.len() as u64);
    for (i, item) in items.iter().enumerate() {
        cancel.check()?;
        let (ctx, cont) = encode_pair(model, &item.context, &format!(" {}", item.word))?;
        let ctx = fit(ctx, cont.len(), max_len);
        let (ll, greedy) = total(&model.score_continuations(&ctx, &[cont])?[0]);
        tally.add(ITEMS, 1.0);
        tally.add(CORRECT, f64::from(u8::from(greedy)));
        tally.add(LOGLIKELIHOOD, ll);
        report(observer, i + 1, Scoring::LastWord, &tally);
    }
    Ok(tally)
}
