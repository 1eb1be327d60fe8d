//! Multiple-choice and last-word items.
//!
//! Formats read:
//! - HellaSwag as llama.cpp distributes it: 6 lines per item (context, gold
//!   index, four endings);
//! - llm-foundry JSONL `{query, choices, gold}` (ARC, PIQA, HellaSwag); a
//!   query of the form `Question: …` gets lm-evaluation-harness's `\nAnswer:`;
//! - the generic JSONL `{context, choices, gold}`, used as is;
//! - PIQA's original `{goal, sol1, sol2}` with labels in `<name>-labels.lst`;
//! - WinoGrande's original `{sentence, option1, option2, answer}` and
//!   llm-foundry's `{context_options, continuation, gold}`;
//! - LAMBADA `{context, continuation}` (llm-foundry) or `{text}` (OpenAI).

use std::path::Path;
use std::sync::LazyLock;

use regex::Regex;

use super::{Row, check_gold, looks_like_jsonl, read_jsonl, read_text, sibling};
use crate::eval::{EvalError, Result};

/// One multiple-choice question, scored by log-likelihood.
#[derive(Debug, Clone, PartialEq)]
pub enum ChoiceItem {
    /// One context, one continuation per choice (`" " + choice`).
    Continuations {
        context: String,
        choices: Vec<String>,
        gold: usize,
    },
    /// One context per choice, one shared continuation (WinoGrande's
    /// partial scoring).
    Contexts {
        contexts: Vec<String>,
        continuation: String,
        gold: usize,
    },
}

impl ChoiceItem {
    pub fn gold(&self) -> usize {
        match self {
            ChoiceItem::Continuations { gold, .. } | ChoiceItem::Contexts { gold, .. } => *gold,
        }
    }
}

/// A LAMBADA item: predict `word` (scored as `" " + word`) after `context`.
#[derive(Debug, Clone, PartialEq)]
pub struct LastWord {
    pub context: String,
    pub word: String,
}

/// Reads multiple-choice items; returns them and the name of the format.
pub fn read_choices(path: &Path) -> Result<(Vec<ChoiceItem>, &'static str)> {
    let text = read_text(path)?;
    if !looks_like_jsonl(&text) {
        return Ok((read_hellaswag_lines(path, &text)?, "hellaswag-lines"));
    }
    let rows = read_jsonl(path)?;
    let first = Row {
        path,
        line: rows[0].0,
        map: &rows[0].1,
    };
    let format = if first.has("goal") {
        "piqa"
    } else if first.has("sentence") {
        "winogrande"
    } else if first.has("context_options") {
        "winogrande-llmfoundry"
    } else if first.has("query") {
        "llmfoundry"
    } else {
        "generic"
    };
    let labels = if format == "piqa" {
        Some(read_labels(path, rows.len())?)
    } else {
        None
    };
    let mut items = Vec::with_capacity(rows.len());
    for (i, (line, map)) in rows.iter().enumerate() {
        let row = Row {
            path,
            line: *line,
            map,
        };
        let item = match format {
            "piqa" => piqa(&row, labels.as_ref().expect("read above")[i])?,
            "winogrande" => winogrande(&row)?,
            "winogrande-llmfoundry" => {
                let contexts = row.strings("context_options")?;
                let gold = row.index("gold", contexts.len())?;
                ChoiceItem::Contexts {
                    continuation: row.string("continuation")?,
                    contexts,
                    gold,
                }
            }
            _ => {
                let context = if format == "llmfoundry" {
                    question(row.string("query")?)
                } else {
                    row.string("context")?
                };
                let choices = row.strings("choices")?;
                if choices.len() < 2 {
                    return Err(row.error("`choices` needs at least two entries"));
                }
                ChoiceItem::Continuations {
                    context,
                    gold: row.index("gold", choices.len())?,
                    choices,
                }
            }
        };
        items.push(item);
    }
    Ok((items, format))
}

/// llm-foundry's `Question: …` queries end where lm-evaluation-harness adds
/// `\nAnswer:`; other queries (HellaSwag contexts) are used as they are.
fn question(query: String) -> String {
    if query.starts_with("Question:") && !query.trim_end().ends_with("Answer:") {
        format!("{query}\nAnswer:")
    } else {
        query
    }
}

fn piqa(row: &Row, gold: usize) -> Result<ChoiceItem> {
    Ok(ChoiceItem::Continuations {
        context: format!("Question: {}\nAnswer:", row.string("goal")?),
        choices: vec![row.string("sol1")?, row.string("sol2")?],
        gold,
    })
}

/// PIQA's labels file: one 0 or 1 per line, as many as there are items.
fn read_labels(path: &Path, items: usize) -> Result<Vec<usize>> {
    let labels_path = sibling(path, "-labels.lst");
    if !labels_path.is_file() {
        return Err(EvalError::file(
            path,
            format!("PIQA items need their labels in {}", labels_path.display()),
        ));
    }
    let text = read_text(&labels_path)?;
    let labels = text
        .lines()
        .enumerate()
        .map(|(i, l)| {
            check_gold(l.trim().parse().ok(), 2)
                .map_err(|m| EvalError::data(&labels_path, i + 1, m))
        })
        .collect::<Result<Vec<_>>>()?;
    if labels.len() != items {
        return Err(EvalError::file(
            &labels_path,
            format!("{} labels for {items} items", labels.len()),
        ));
    }
    Ok(labels)
}

/// lm-evaluation-harness's WinoGrande: each option fills the blank to make a
/// context, and the rest of the sentence is the shared continuation.
fn winogrande(row: &Row) -> Result<ChoiceItem> {
    let sentence = row.string("sentence")?;
    let blank = sentence
        .find('_')
        .ok_or_else(|| row.error("`sentence` has no `_` blank"))?;
    let options = [row.string("option1")?, row.string("option2")?];
    let gold = match row.string("answer")?.trim() {
        "1" => 0,
        "2" => 1,
        other => return Err(row.error(format!("`answer` must be \"1\" or \"2\", not {other:?}"))),
    };
    Ok(ChoiceItem::Contexts {
        contexts: options
            .iter()
            .map(|o| format!("{}{o}", &sentence[..blank]))
            .collect(),
        continuation: sentence[blank + 1..].trim().to_owned(),
        gold,
    })
}

/// lm-evaluation-harness's HellaSwag clean-up of contexts and endings.
fn clean_hellaswag(text: &str) -> String {
    static TAG: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"\[.*?\]").expect("valid"));
    let text = text.trim().replace(" [title]", ". ");
    TAG.replace_all(&text, "").replace("  ", " ")
}

fn read_hellaswag_lines(path: &Path, text: &str) -> Result<Vec<ChoiceItem>> {
    let lines: Vec<&str> = text.trim_end_matches(['\n', '\r']).split('\n').collect();
    if !lines.len().is_multiple_of(6) {
        return Err(EvalError::data(
            path,
            lines.len() - lines.len() % 6 + 1,
            format!(
                "{} lines is not a whole number of HellaSwag items (6 lines each: context, gold 0-3, four endings); \
                 the last item is incomplete",
                lines.len()
            ),
        ));
    }
    lines
        .chunks(6)
        .enumerate()
        .map(|(i, group)| {
            let line = i * 6 + 2;
            let gold = check_gold(group[1].trim().parse().ok(), 4)
                .map_err(|m| EvalError::data(path, line, m))?;
            Ok(ChoiceItem::Continuations {
                context: clean_hellaswag(group[0]),
                choices: group[2..].iter().map(|e| clean_hellaswag(e)).collect(),
                gold,
            })
        })
        .collect()
}

/// Reads LAMBADA items.
pub fn read_last_words(path: &Path) -> Result<Vec<LastWord>> {
    read_jsonl(path)?
        .iter()
        .map(|(line, map)| {
            let row = Row {
                path,
                line: *line,
                map,
            };
            if row.has("text") && !row.has("context") {
                let text = row.string("text")?;
                let (context, word) = text
                    .rsplit_once(' ')
                    .ok_or_else(|| row.error("`text` has a single word"))?;
                return Ok(LastWord {
                    context: context.to_owned(),
                    word: word.to_owned(),
                });
            }
            let word = row.string("continuation")?.trim().to_owned();
            if word.is_empty() {
                return Err(row.error("`continuation` is empty"));
            }
            Ok(LastWord {
                context: row.string("context")?,
                word,
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file(contents: &str, name: &str) -> (tempfile::TempDir, std::path::PathBuf) {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(name);
        std::fs::write(&path, contents).unwrap();
        (dir, path)
    }

    #[test]
    fn reads_hellaswag_lines_and_cleans_them() {
        let (_d, p) = file(
            "Skiing: a man [header] skis. he\n1\na\n goes  down [step] the hill.\nc\nd\n",
            "h.txt",
        );
        let (items, format) = read_choices(&p).unwrap();
        assert_eq!(format, "hellaswag-lines");
        assert_eq!(
            items,
            vec![ChoiceItem::Continuations {
                context: "Skiing: a man skis. he".into(),
                choices: vec![
                    "a".into(),
                    "goes down the hill.".into(),
                    "c".into(),
                    "d".into()
                ],
                gold: 1
            }]
        );
    }

    #[test]
    fn hellaswag_errors_name_the_line() {
        let (_d, p) = file("ctx\n1\na\nb\nc\nd\nctx\n7\na\nb\nc\nd\n", "h.txt");
        let e = read_choices(&p).unwrap_err().to_string();
        assert!(
            e.ends_with("h.txt:8: gold label 7 is out of range for 4 choices (0..3)"),
            "{e}"
        );
        let (_d, p) = file("ctx\n1\na\nb\n", "h.txt");
        assert!(
            read_choices(&p)
                .unwrap_err()
                .to_string()
                .contains("h.txt:1: 4 lines")
        );
    }

    #[test]
    fn llmfoundry_questions_get_an_answer_prompt() {
        let (_d, p) = file(
            "{\"query\": \"Question: Why?\", \"choices\": [\"a\", \"b\"], \"gold\": 1}\n",
            "arc.jsonl",
        );
        let (items, _) = read_choices(&p).unwrap();
        assert_eq!(
            items[0],
            ChoiceItem::Continuations {
                context: "Question: Why?\nAnswer:".into(),
                choices: vec!["a".into(), "b".into()],
                gold: 1
            }
        );
    }

    #[test]
    fn jsonl_errors_name_the_line() {
        let (_d, p) = file(
            "{\"context\": \"c\", \"choices\": [\"a\", \"b\"], \"gold\": 0}\n\n{\"context\": \"c\", \"choices\": [\"a\", \"b\"], \"gold\": 2}\n",
            "g.jsonl",
        );
        assert!(
            read_choices(&p)
                .unwrap_err()
                .to_string()
                .ends_with("g.jsonl:3: `gold`: gold label 2 is out of range for 2 choices (0..1)")
        );
        let (_d, p) = file(
            "{\"context\": \"c\", \"choices\": [\"a\", \"b\"], \"gold\": 0}\nnot json\n",
            "g.jsonl",
        );
        assert!(
            read_choices(&p)
                .unwrap_err()
                .to_string()
                .contains("g.jsonl:2: not a JSON line")
        );
    }

    #[test]
    fn piqa_reads_labels_beside_the_items() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("valid.jsonl");
        std::fs::write(&p, "{\"goal\": \"g\", \"sol1\": \"x\", \"sol2\": \"y\"}\n").unwrap();
        assert!(
            read_choices(&p)
                .unwrap_err()
                .to_string()
                .contains("valid-labels.lst")
        );
        std::fs::write(dir.path().join("valid-labels.lst"), "1\n").unwrap();
        let (items, _) = read_choices(&p).unwrap();
        assert_eq!(
            items[0],
            ChoiceItem::Continuations {
                context: "Question: g\nAnswer:".into(),
                choices: vec!["x".into(), "y".into()],
                gold: 1
            }
        );
    }

    #[test]
    fn winogrande_fills_the_blank() {
        let (_d, p) = file(
            "{\"sentence\": \"Tom gave Bob a gift because _ was kind.\", \"option1\": \"Tom\", \"option2\": \"Bob\", \"answer\": \"1\"}\n",
            "w.jsonl",
        );
        let (items, _) = read_choices(&p).unwrap();
        assert_eq!(
            items[0],
            ChoiceItem::Contexts {
                contexts: vec![
                    "Tom gave Bob a gift because Tom".into(),
                    "Tom gave Bob a gift because Bob".into()
                ],
                continuation: "was kind.".into(),
                gold: 0
            }
        );
    }

    #[test]
    fn lambada_in_both_layouts() {
        let (_d, p) = file(
            "{\"context\": \"the cat sat on the\", \"continuation\": \"mat\"}\n{\"text\": \"a b c\"}\n",
            "l.jsonl",
        );
        let items = read_last_words(&p).unwrap();
        assert_eq!(
            items[0],
            LastWord {
                context: "the cat sat on the".into(),
                word: "mat".into()
            }
        );
        assert_eq!(
            items[1],
            LastWord {
                context: "a b".into(),
                word: "c".into()
            }
        );
    }

    #[test]
    fn empty_files_are_refused() {
        let (_d, p) = file("\n  \n", "e.jsonl");
        assert!(read_choices(&p).unwrap_err().to_string().contains("empty"));
    }
}
