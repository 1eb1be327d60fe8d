//! What evaluation needs from a model, as two small traits.
//!
//! The runners depend on these rather than on the concrete model types so
//! that tasks, metrics and sharding are tested with deterministic fakes; the
//! implementations for the real models live beside the traits.

use super::Result;

/// The log-probability of one token given everything before it, and whether
/// it was the model's greedy (argmax) choice.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Scored {
    pub logprob: f64,
    pub greedy: bool,
}

/// A causal language model seen as a scorer of token sequences.
pub trait LanguageModel {
    /// Token ids of `text`, without any special token.
    fn encode(&self, text: &str) -> Result<Vec<u32>>;
    /// The longest sequence one forward pass accepts.
    fn context_length(&self) -> usize;
    /// The token lm-evaluation-harness puts before a document (BOS, else EOS).
    fn prefix_token(&self) -> Result<u32>;
    /// The BOS token llama.cpp puts at the start of each chunk, when the
    /// model's tokenizer adds one (`tokenizer.ggml.add_bos_token`).
    fn chunk_bos(&self) -> Option<u32>;
    /// For each `j` in `from..tokens.len()`: log p(tokens[j] | tokens[..j]).
    fn score(&mut self, tokens: &[u32], from: usize) -> Result<Vec<Scored>>;
    /// Each continuation scored after the shared `context` (non-empty).
    fn score_continuations(
        &mut self,
        context: &[u32],
        continuations: &[Vec<u32>],
    ) -> Result<Vec<Vec<Scored>>>;
    /// [`LanguageModel::score_continuations`] of independent items, in
    /// order; a model may score them side by side, with the same results.
    fn score_items(&mut self, items: &[Continuations]) -> Result<Vec<Vec<Vec<Scored>>>> {
        items
            .iter()
            .map(|(context, continuations)| self.score_continuations(context, continuations))
            .collect()
    }
}

/// A context and the continuations to score after it.
pub type Continuations = (Vec<u32>, Vec<Vec<u32>>);

/// A sentence encoder.
pub trait SentenceEncoder {
    fn embed(&mut self, texts: &[&str]) -> Result<Vec<Vec<f32>>>;
}

use super::EvalError;
use crate::model::{CausalLm, Encoder, TokenScore};

fn scored(scores: Vec<TokenScore>) -> Vec<Scored> {
    scores
        .into_iter()
        .map(|s| Scored {
            logprob: f64::from(s.logprob),
            greedy: s.greedy,
        })
        .collect()
}

impl LanguageModel for CausalLm {
    fn encode(&self, text: &str) -> Result<Vec<u32>> {
        Ok(CausalLm::encode(self, text, false)?)
    }

    fn context_length(&self) -> usize {
        CausalLm::context_length(self)
    }

    fn prefix_token(&self) -> Result<u32> {
        self.bos_token()
            .or_else(|| self.eos_token())
            .ok_or_else(|| {
                EvalError::Model(
                    "the tokenizer has neither a BOS nor an EOS token to start a document with"
                        .into(),
                )
            })
    }

    fn chunk_bos(&self) -> Option<u32> {
        self.adds_bos().then(|| self.bos_token()).flatten()
    }

    fn score(&mut self, tokens: &[u32], from: usize) -> Result<Vec<Scored>> {
        Ok(scored(CausalLm::score(self, tokens, from)?))
    }

    fn score_continuations(
        &mut self,
        context: &[u32],
        continuations: &[Vec<u32>],
    ) -> Result<Vec<Vec<Scored>>> {
        Ok(CausalLm::score_continuations(self, context, continuations)?
            .into_iter()
            .map(scored)
            .collect())
    }

    /// One item per thread of the model team, each item's loops on its own
    /// thread: on short batches this keeps both cores busier than splitting
    /// every product of one item, and each item's numbers are the same.
    fn score_items(&mut self, items: &[Continuations]) -> Result<Vec<Vec<Vec<Scored>>>> {
        let model = &*self;
        crate::model::team::map_alone(items.len(), |i| {
            let (context, continuations) = &items[i];
            CausalLm::score_continuations(model, context, continuations)
                .map(|s| s.into_iter().map(scored).collect())
        })
        .into_iter()
        .map(|r| r.map_err(Into::into))
        .collect()
    }
}

impl SentenceEncoder for Encoder {
    fn embed(&mut self, texts: &[&str]) -> Result<Vec<Vec<f32>>> {
        Ok(Encoder::embed(self, texts)?)
    }
}
