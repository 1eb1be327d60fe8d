//! Few-shot contexts, built as lm-evaluation-harness builds them.
//!
//! Each example is its text, a space and its target, followed by `"\n\n"`;
//! the item's own context comes after the examples. The target is the gold
//! choice; for WinoGrande-style items (one context per choice) the text is
//! the gold context and the target the shared continuation, and every
//! context of the item gets the examples; for LAMBADA the target is
//! lm-evaluation-harness's `" " + last word`, so an example is the passage
//! with two spaces before its last word, as lm-evaluation-harness writes it
//! (0.4.3 to 0.4.13 alike).
//!
//! Only the evaluation split is at hand, so examples come from it, as
//! lm-evaluation-harness (0.4) does when the few-shot split is the test
//! split: one `random.Random(seed)` for the whole task, and for each scored
//! item in order `sample(docs, K + 1)`, every copy of the item itself (equal
//! content) dropped, the first `K` kept; should copies leave fewer than `K`,
//! `sample(docs without the item, K)` from the same generator instead.
//! Contexts are built for every item the run selects before shards take
//! their slice, so a shard's items read exactly what they read in the
//! unsplit run.

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
    format!("{text} {target}")
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
        labeled(&self.context, &format!(" {}", self.word))
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
/// Refused when `items` are too few to draw `shots + 1` of them, or, naming
/// the item (0-based), when fewer than `shots` items differ from one.
pub fn prime<T: Shot>(
    items: &mut [T],
    order: &[usize],
    fewshot: FewShot,
) -> std::result::Result<(), String> {
    let FewShot { shots, seed } = fewshot;
    if shots == 0 {
        return Ok(());
    }
    if items.len() <= shots {
        return Err(format!(
            "--num-fewshot {shots} draws {} items to choose {shots} examples from; the data holds {}",
            shots + 1,
            items.len()
        ));
    }
    let docs = items.to_vec();
    let mut rng = PyRandom::new(seed);
    for &i in order {
        let others = |j: &usize| docs[*j] != docs[i];
        let mut drawn: Vec<usize> = rng
            .sample(docs.len(), shots + 1)
            .into_iter()
            .filter(others)
            .take(shots)
            .collect();
        if drawn.len() < shots {
            let pool: Vec<usize> = (0..docs.len()).filter(others).collect();
            if pool.len() < shots {
                return Err(format!(
                    "item {i}: --num-fewshot {shots} needs {shots} examples that differ from it; the data holds {}",
                    pool.len()
                ));
            }
            drawn = rng
                .sample(pool.len(), shots)
                .into_iter()
                .map(|p| pool[p])
                .collect();
        }
        let prefix: String = drawn.iter().map(|&j| docs[j].example() + "\n\n").collect();
        items[i] = docs[i].after(&prefix);
    }
    Ok(())
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
        prime(&mut items, &[2], FewShot { shots: 2, seed: 1 }).unwrap();
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
        prime(&mut items, &[3], FewShot { shots: 2, seed: 1 }).unwrap();
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
        prime(&mut items, &[2], FewShot { shots: 1, seed: 1 }).unwrap();
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
    fn last_words_show_passages_with_the_targets_space() {
        let word = |i: usize| LastWord {
            context: format!("passage {i} ends with"),
            word: format!("w{i}"),
        };
        let mut items: Vec<LastWord> = (0..4).map(word).collect();
        prime(&mut items, &[3], FewShot { shots: 2, seed: 1 }).unwrap();
        assert_eq!(
            items[3],
            LastWord {
                context:
                    "passage 1 ends with  w1\n\npassage 2 ends with  w2\n\npassage 3 ends with"
                        .into(),
                word: "w3".into(),
            }
        );
    }

    #[test]
    fn copies_of_the_item_are_dropped_and_the_examples_drawn_again() {
        // Items 0, 1 and 2 are one question: a draw of 3 holding two of its
        // copies leaves one example of 2, so lm-evaluation-harness draws 2
        // of the items that differ from it instead.
        let out = crate::eval::pyrandom::python(
            "import random\n\
             r = random.Random(2)\n\
             docs = [0, 0, 0, 3, 4, 5]\n\
             again = 0\n\
             for d in docs:\n\
             \x20   s = [x for x in r.sample(docs, 3) if x != d][:2]\n\
             \x20   if len(s) < 2:\n\
             \x20       again += 1\n\
             \x20       s = r.sample([x for x in docs if x != d], 2)\n\
             \x20   print(*s)\n\
             print(again)",
        );
        let mut lines: Vec<&str> = out.lines().collect();
        let again: usize = lines.pop().unwrap().parse().unwrap();
        assert!(again > 0, "seed 2 should draw copies again here");
        let mut items: Vec<ChoiceItem> = [0, 0, 0, 3, 4, 5].into_iter().map(question).collect();
        let original = items.clone();
        let shots = FewShot { shots: 2, seed: 2 };
        prime(&mut items, &[0, 1, 2, 3, 4, 5], shots).unwrap();
        for (i, line) in lines.iter().enumerate() {
            let examples: String = line
                .split_whitespace()
                .map(|c| question(c.parse().unwrap()).example() + "\n\n")
                .collect();
            assert_eq!(items[i], original[i].after(&examples), "item {i}");
        }
        // Fewer items that differ from one than examples asked, or fewer
        // items than a draw takes: refused.
        let mut few: Vec<ChoiceItem> = [0, 0, 3].into_iter().map(question).collect();
        assert_eq!(
            prime(&mut few, &[0], shots).unwrap_err(),
            "item 0: --num-fewshot 2 needs 2 examples that differ from it; the data holds 1"
        );
        assert_eq!(
            prime(&mut few[..2], &[0], shots).unwrap_err(),
            "--num-fewshot 2 draws 3 items to choose 2 examples from; the data holds 2"
        );
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
        prime(&mut items, &(0..30).collect::<Vec<_>>(), shots).unwrap();
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
