//! Task data files, read into items.
//!
//! Each reader accepts the formats in which the public evaluation sets are
//! distributed (see `../shared/data/README.md`) and refuses anything else with
//! the file and the 1-based line at fault. Nothing is silently skipped: a
//! malformed line is an error, not a smaller evaluation.

mod choice;
mod sts;
mod text;

use std::path::{Path, PathBuf};

pub use choice::{ChoiceItem, LastWord, read_choices, read_last_words};
pub use sts::{Pair, read_pairs};
pub use text::{Document, detokenize_wikitext, read_documents, wikitext_pages};

use super::{EvalError, Result};

/// A data file's text, refused when empty or not UTF-8.
pub fn read_text(path: &Path) -> Result<String> {
    let bytes = std::fs::read(path).map_err(|e| EvalError::file(path, e.to_string()))?;
    let text = String::from_utf8(bytes).map_err(|e| {
        let line = 1 + e.as_bytes()[..e.utf8_error().valid_up_to()]
            .iter()
            .filter(|&&b| b == b'\n')
            .count();
        EvalError::data(path, line, "not UTF-8 text")
    })?;
    if text.trim().is_empty() {
        return Err(EvalError::file(path, "the data file is empty"));
    }
    Ok(text)
}

/// The non-blank lines of a JSON Lines file, parsed, with their line numbers.
pub fn read_jsonl(path: &Path) -> Result<Vec<(usize, serde_json::Map<String, serde_json::Value>)>> {
    let text = read_text(path)?;
    let mut rows = Vec::new();
    for (i, line) in text.lines().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        let value: serde_json::Value = serde_json::from_str(line)
            .map_err(|e| EvalError::data(path, i + 1, format!("not a JSON line: {e}")))?;
        match value {
            serde_json::Value::Object(map) => rows.push((i + 1, map)),
            _ => return Err(EvalError::data(path, i + 1, "expected a JSON object")),
        }
    }
    Ok(rows)
}

/// Whether a file holds JSON Lines (its first non-blank character is `{`).
pub fn looks_like_jsonl(text: &str) -> bool {
    text.trim_start().starts_with('{')
}

/// Field access on a JSON line with errors that name the file and line.
pub(crate) struct Row<'a> {
    pub path: &'a Path,
    pub line: usize,
    pub map: &'a serde_json::Map<String, serde_json::Value>,
}

impl Row<'_> {
    pub fn error(&self, message: impl Into<String>) -> EvalError {
        EvalError::data(self.path, self.line, message)
    }

    pub fn has(&self, key: &str) -> bool {
        self.map.contains_key(key)
    }

    pub fn string(&self, key: &str) -> Result<String> {
        match self.map.get(key) {
            Some(serde_json::Value::String(s)) => Ok(s.clone()),
            Some(_) => Err(self.error(format!("`{key}` must be a string"))),
            None => Err(self.error(format!("missing `{key}`"))),
        }
    }

    pub fn strings(&self, key: &str) -> Result<Vec<String>> {
        let bad = || self.error(format!("`{key}` must be a list of strings"));
        let list = self
            .map
            .get(key)
            .ok_or_else(|| self.error(format!("missing `{key}`")))?;
        let list = list.as_array().ok_or_else(bad)?;
        list.iter()
            .map(|v| v.as_str().map(str::to_owned).ok_or_else(bad))
            .collect()
    }

    /// A gold index in `0..n` (a JSON integer or a string of digits).
    pub fn index(&self, key: &str, n: usize) -> Result<usize> {
        let value = self
            .map
            .get(key)
            .ok_or_else(|| self.error(format!("missing `{key}`")))?;
        let gold = match value {
            serde_json::Value::Number(x) => x.as_u64(),
            serde_json::Value::String(s) => s.trim().parse().ok(),
            _ => None,
        };
        check_gold(gold, n).map_err(|m| self.error(format!("`{key}`: {m}")))
    }
}

/// Validates a gold label against the number of choices.
pub fn check_gold(gold: Option<u64>, n: usize) -> std::result::Result<usize, String> {
    match gold {
        Some(g) if (g as usize) < n => Ok(g as usize),
        Some(g) => Err(format!(
            "gold label {g} is out of range for {n} choices (0..{})",
            n.saturating_sub(1)
        )),
        None => Err("the gold label is not a non-negative integer".into()),
    }
}

/// A file beside `path` whose name replaces its extension with `suffix`
/// (PIQA's `valid.jsonl` → `valid-labels.lst`).
pub fn sibling(path: &Path, suffix: &str) -> PathBuf {
    let stem = path.file_stem().and_then(|s| s.to_str()).unwrap_or("");
    path.with_file_name(format!("{stem}{suffix}"))
}
