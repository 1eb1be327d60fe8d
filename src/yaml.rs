//! Strict YAML reading: errors carry file, line and column.
//!
//! serde_yaml already rejects duplicate keys and bounds alias expansion (a
//! "billion laughs" document fails with a repetition-limit error instead of
//! exhausting memory); this module adds the file name and a size limit.

use std::path::Path;

use serde::de::DeserializeOwned;

use crate::error::{Error, Result};

/// Manifests and configuration files larger than this are refused unread.
pub const MAX_YAML_BYTES: usize = 16 * 1024 * 1024;

pub fn parse<T: DeserializeOwned>(text: &str, origin: &Path) -> Result<T> {
    if text.len() > MAX_YAML_BYTES {
        return Err(Error::Yaml {
            path: origin.to_path_buf(),
            line: 1,
            column: 1,
            message: format!("file is larger than {MAX_YAML_BYTES} bytes"),
        });
    }
    serde_yaml::from_str(text).map_err(|e| {
        let (line, column) = e
            .location()
            .map(|l| (l.line(), l.column()))
            .unwrap_or((1, 1));
        Error::Yaml {
            path: origin.to_path_buf(),
            line,
            column,
            message: e.to_string(),
        }
    })
}

/// Reads and parses a YAML file.
pub fn read<T: DeserializeOwned>(path: &Path) -> Result<T> {
    let text = std::fs::read_to_string(path).map_err(|e| Error::io(path, e))?;
    parse(&text, path)
}

/// The 1-based line of the mapping key at `field` (`license.expression`) in
/// a block-style YAML document such as a manifest, or of the deepest key of
/// that path the document has (`license` when it has no `expression`).
/// Findings about a field point there.
pub fn line_of(text: &str, field: &str) -> Option<usize> {
    let want: Vec<&str> = field.split('.').collect();
    let mut stack: Vec<(usize, &str)> = Vec::new();
    let mut best: Option<(usize, usize)> = None; // (depth matched, line)
    for (n, raw) in text.lines().enumerate() {
        let body = raw.trim_start_matches(' ');
        if body.is_empty() || body.starts_with('#') || body.starts_with('-') {
            continue;
        }
        let indent = raw.len() - body.len();
        let Some(colon) = body.find(':') else {
            continue;
        };
        let key = body[..colon].trim_matches(|c| c == '"' || c == '\'');
        if key.contains(' ') && !key.starts_with('"') {
            continue;
        }
        while stack.last().is_some_and(|&(i, _)| i >= indent) {
            stack.pop();
        }
        stack.push((indent, key));
        let depth = stack.len();
        let matches = depth <= want.len() && stack.iter().zip(&want).all(|((_, k), w)| k == w);
        if matches && best.is_none_or(|(d, _)| depth > d) {
            best = Some((depth, n + 1));
            if depth == want.len() {
                break;
            }
        }
    }
    best.map(|(_, line)| line)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_the_line_of_a_field_or_its_deepest_parent() {
        let text = "id: a/b\nlicense:\n  declared: mit\n  expression: MIT\nmodel:\n  trained_on:\n  - id: x\n    relation: data\nfiles: []\n";
        assert_eq!(line_of(text, "license.expression"), Some(4));
        assert_eq!(line_of(text, "license"), Some(2));
        assert_eq!(line_of(text, "license.notices"), Some(2));
        assert_eq!(line_of(text, "model.trained_on"), Some(6));
        assert_eq!(line_of(text, "files"), Some(9));
        assert_eq!(line_of(text, "dataset.languages"), None);
    }
}
