//! Few-shot contexts, built as lm-evaluation-harness builds them.
//!
//! Each example is its text and its target (the gold choice, or the last
//! word) joined by a space — no space when the target begins with
//! whitespace, none and no target when it is empty — and followed by
//! `"\n\n"`; the item's own context comes after the examples. WinoGrande-style
//! items (one context per choice) show their gold context and the shared
//! continuation, and every one of their contexts gets the examples.
//!
//! Only the evaluation split is at hand, so examples come from it, as
//! lm-evaluation-harness does when the few-shot split is the test split: one
//! `random.Random(seed)` for the whole task, and for each scored item in
//! order `K + 1` examples drawn with `sample`, the item itself (equal
//! content) dropped, the first `K` kept. Contexts are built for every item the
//! run selects before shards take their slice, so a shard's items read
//! exactly what they read in the unsplit run.

use super::data::{ChoiceItem, LastWord};
use super::pyrandom::PyRandom;

/// How many examples precede each item, and the seed that draws them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FewShot {
    pub shots: usize,
    pub seed: u64,
}

/// lm-evaluation-harness's default few-shot seed.
pub const DEFAULT_SEED: u64 = 1234;

impl Default for FewShot {
    fn default() -> FewShot {
        FewShot {
            shots: 0,
            seed: DEFAULT_SEED,
        }
    }
}

/// An item that can serve as an example and be preceded by examples.
pub trait Shot: Clone + PartialEq {
    /// The item as an example: its text and its target.
    fn example(&self) -> String;
    /// The item with `prefix` before its context(s).
    fn after(&self, prefix: &str) -> Self;
}

/// `text`, lm-evaluation-harness's target delimiter (a space) and `target`.
fn labeled(text: &str, target: &str) -> String {
    if target.is_empty() || target.starts_with(char::is_whitespace) {
        format!("{text}{target}")
    } else {
        format!("{text} {target}")
    }
}

impl Shot for ChoiceItem {
    fn example(&self) -> String {
        match self {
            ChoiceItem::Continuations {
                context,
                choices,
                gold,
            } => labeled(context, &choices[*gold]),
            ChoiceItem::Contexts {
                contexts,
                continuation,
                gold,
            } => labeled(&contexts[*gold], continuation),
        }
    }

    fn after(&self, prefix: &str) -> ChoiceItem {
        match self {
            ChoiceItem::Continuations {
                context,
                choices,
                gold,
            } => ChoiceItem::Continuations {
                context: format!("{prefix}{context}"),
                choices: choices.clone(),
                gold: *gold,
            },
            ChoiceItem::Contexts {
                contexts,
                continuation,
                gold,
            } => ChoiceItem::Contexts {
                contexts: contexts.iter().map(|c| format!("{prefix}{c}")).collect(),
                continuation: continuation.clone(),
                gold: *gold,
            },
        }
    }
}

impl Shot for LastWord {
    fn example(&self) -> String {
        labeled(&self.context, &self.word)
    }

    fn after(&self, prefix: &str) -> LastWord {
        LastWord {
            context: format!("{prefix}{}", self.context),
            word: self.word.clone(),
        }
    }
}

/// Puts `fewshot.shots` examples before each item of `order` (indices into
/// `items`, in the order they are scored), drawn from all of `items`.
/// `items` must hold more than `fewshot.shots` items.
pub fn prime<T: Shot>(items: &mut [T], order: &[usize], fewshot: FewShot) {
    if fewshot.shots == 0 {
        return;
    }
    let docs = items.to_vec();
    let mut rng = PyRandom::new(fewshot.seed);
    for &i in order {
        let prefix: String = rng
            .sample(docs.len(), fewshot.shots + 1)
            .into_iter()
            .filter(|&j| docs[j] != docs[i])
            .take(fewshot.shots)
            .map(|j| docs[j].example() + "\n\n")
            .collect();
        items[i] = docs[i].after(&prefix);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn question(i: usize) -> ChoiceItem {
        ChoiceItem::Continuations {
            context: format!("Question: q{i}?\nAnswer:"),
            choices: vec![format!("a{i}"), format!("b{i}")],
            gold: i % 2,
        }
    }

    #[test]
    fn continuation_items_read_their_examples_then_their_question() {
        let mut items: Vec<ChoiceItem> = (0..4).map(question).collect();
        prime(&mut items, &[2], FewShot { shots: 2, seed: 1 });
        // random.Random(1).sample(range(4), 3) == [1, 2, 0]: item 2 itself
        // is dropped.
        assert_eq!(
            items[2],
            ChoiceItem::Continuations {
                context: "Question: q1?\nAnswer: b1\n\nQuestion: q0?\nAnswer: a0\n\nQuestion: q2?\nAnswer:"
                    .into(),
                choices: vec!["a2".into(), "b2".into()],
                gold: 0,
            }
        );
        assert_eq!(items[0], question(0), "items not scored are left alone");
    }

    #[test]
    fn an_item_not_drawn_keeps_the_first_k_examples() {
        // random.Random(1).sample(range(4), 3) == [1, 2, 0]: item 3 gets 1 and 2.
        let mut items: Vec<ChoiceItem> = (0..4).map(question).collect();
        prime(&mut items, &[3], FewShot { shots: 2, seed: 1 });
        let ChoiceItem::Continuations { context, .. } = &items[3] else {
            panic!()
        };
        assert_eq!(
            context,
            "Question: q1?\nAnswer: b1\n\nQuestion: q2?\nAnswer: a2\n\nQuestion: q3?\nAnswer:"
        );
    }

    #[test]
    fn context_items_show_the_gold_context_and_prefix_every_context() {
        let item = |i: usize| ChoiceItem::Contexts {
            contexts: vec![format!("Ann{i} gave Bob"), format!("Bob{i} gave Ann")],
            continuation: format!("a gift {i}."),
            gold: i % 2,
        };
        let mut items: Vec<ChoiceItem> = (0..4).map(item).collect();
        prime(&mut items, &[2], FewShot { shots: 1, seed: 1 });
        // random.Random(1).sample(range(4), 2) == [1, 2]: item 2 is dropped.
        assert_eq!(
            items[2],
            ChoiceItem::Contexts {
                contexts: vec![
                    "Bob1 gave Ann a gift 1.\n\nAnn2 gave Bob".into(),
                    "Bob1 gave Ann a gift 1.\n\nBob2 gave Ann".into(),
                ],
                continuation: "a gift 2.".into(),
                gold: 0,
            }
        );
    }

    #[test]
    fn last_words_show_whole_passages() {
        let word = |i: usize| LastWord {
            context: format!("passage {i} ends with"),
            word: format!("w{i}"),
        };
        let mut items: Vec<LastWord> = (0..4).map(word).collect();
        prime(&mut items, &[3], FewShot { shots: 2, seed: 1 });
        assert_eq!(
            items[3],
            LastWord {
                context: "passage 1 ends with w1\n\npassage 2 ends with w2\n\npassage 3 ends with"
                    .into(),
                word: "w3".into(),
            }
        );
    }

    #[test]
    fn targets_that_begin_with_whitespace_get_no_delimiter() {
        assert_eq!(labeled("ctx", " word"), "ctx word");
        assert_eq!(labeled("ctx", "word"), "ctx word");
        assert_eq!(labeled("ctx", ""), "ctx");
    }

    #[test]
    fn one_generator_advances_item_by_item() {
        // lm-evaluation-harness's sampler for 30 items (more than sample's
        // pool holds, so drawn by its set method) with 2 shots and seed
        // 1234, computed by CPython.
        let expected: Vec<String> = crate::eval::pyrandom::python(
            "import random\nr = random.Random(1234)\ndocs = list(range(30))\n\
             for d in docs:\n    print(*[x for x in r.sample(docs, 3) if x != d][:2])",
        )
        .lines()
        .map(|l| {
            l.split_whitespace()
                .map(|i| question(i.parse().unwrap()).example() + "\n\n")
                .collect()
        })
        .collect();
        let mut items: Vec<ChoiceItem> = (0..30).map(question).collect();
        let shots = FewShot {
            shots: 2,
            ..FewShot::default()
        };
        prime(&mut items, &(0..30).collect::<Vec<_>>(), shots);
        for (i, item) in items.iter().enumerate() {
            let ChoiceItem::Continuations { context, .. } = item else {
                panic!()
            };
            assert_eq!(
                context,
                &format!("{}Question: q{i}?\nAnswer:", expected[i]),
                "item {i}"
            );
        }
    }
}
