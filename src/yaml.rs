//! Strict YAML reading: errors carry file, line and column.
//!
//! serde_yaml already rejects duplicate keys and bounds alias expansion (a
//! "billion laughs" document fails with a repetition-limit error instead of
//! exhausting memory); this module adds the file name and a size limit.

use std::path::Path;

use serde::de::DeserializeOwned;

use crate::error::{Error, Result};

pub(crate) mod block;

/// Manifests and configuration files larger than this are refused unread.
pub const MAX_YAML_BYTES: usize = 16 * 1024 * 1024;

/// The deepest nesting of flow collections (`[`, `{`) a document may have.
/// Manifests nest a handful of levels; the YAML parser takes time quadratic
/// in this depth (100,000 levels: close to a minute), so it is measured
/// first, in one linear pass.
pub const MAX_YAML_DEPTH: usize = 64;

pub fn parse<T: DeserializeOwned>(text: &str, origin: &Path) -> Result<T> {
    if text.len() > MAX_YAML_BYTES {
        return Err(Error::Yaml {
            path: origin.to_path_buf(),
            line: 1,
            column: 1,
            message: format!("file is larger than {MAX_YAML_BYTES} bytes"),
        });
    }
    if let Err(deep) = check_depth(text) {
        return Err(Error::Yaml {
            path: origin.to_path_buf(),
            line: deep.line,
            column: deep.column,
            message: deep.to_string(),
        });
    }
    // What commons itself wrote is read without the general parser, which
    // stays the authority for everything else and for every error.
    if let Some(value) = block::parse(text) {
        return Ok(value);
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

/// Where a document nests deeper than [`MAX_YAML_DEPTH`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TooDeep {
    pub line: usize,
    pub column: usize,
}

impl std::fmt::Display for TooDeep {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "collections nest deeper than {MAX_YAML_DEPTH} levels here; no manifest or \
             configuration nests so deep: the file is malformed, replace it"
        )
    }
}

/// Measures the nesting of flow collections in one pass, as the YAML
/// scanner sees them: a `[` or `{` opens a collection only where a value
/// starts (not inside a plain scalar such as `see [1`), never inside a
/// quoted scalar, a comment or a block scalar (`|`, `>`).
pub fn check_depth(text: &str) -> std::result::Result<(), TooDeep> {
    let b = text.as_bytes();
    // Without a `[` or `{` nothing nests (the common case: commons writes
    // block collections), and one vectorised pass says so.
    if !b.iter().any(|&c| c == b'[' || c == b'{') {
        return Ok(());
    }
    let (mut i, mut line, mut line_start) = (0usize, 1usize, 0usize);
    let mut depth = 0usize;
    let mut value_start = true;
    // Indentation of the line that opened a block scalar, while in one.
    let mut block_scalar: Option<usize> = None;
    let indent_at = |from: usize| b[from..].iter().take_while(|&&c| c == b' ').count();
    while i < b.len() {
        let c = b[i];
        if i == line_start
            && let Some(parent) = block_scalar
        {
            let indent = indent_at(i);
            let blank = matches!(b.get(i + indent), None | Some(b'\n' | b'\r'));
            let end = b[i..]
                .iter()
                .position(|&c| c == b'\n')
                .map_or(b.len(), |p| i + p);
            if blank || indent > parent {
                // A blank line (`end == i`) falls through to count itself.
                if end > i {
                    i = end;
                    continue;
                }
            } else {
                block_scalar = None;
            }
        }
        let space_before = i == 0 || matches!(b[i - 1], b' ' | b'\t' | b'\n' | b'\r');
        let space_after = matches!(b.get(i + 1), None | Some(b' ' | b'\t' | b'\n' | b'\r'));
        match c {
            b'\n' => {
                line += 1;
                line_start = i + 1;
                value_start |= depth == 0;
            }
            b' ' | b'\t' | b'\r' => {}
            b'#' if space_before => {
                i = b[i..]
                    .iter()
                    .position(|&c| c == b'\n')
                    .map_or(b.len(), |p| i + p);
                continue;
            }
            b'\'' | b'"' if value_start => {
                let mut j = i + 1;
                while j < b.len() {
                    match b[j] {
                        b'\\' if c == b'"' => j += 1,
                        b'\n' => {
                            line += 1;
                            line_start = j + 1;
                        }
                        q if q == c => {
                            if c == b'\'' && b.get(j + 1) == Some(&b'\'') {
                                j += 1;
                            } else {
                                break;
                            }
                        }
                        _ => {}
                    }
                    j += 1;
                }
                i = j + 1;
                value_start = false;
                continue;
            }
            b'[' | b'{' if value_start => {
                depth += 1;
                if depth > MAX_YAML_DEPTH {
                    return Err(TooDeep {
                        line,
                        column: i - line_start + 1,
                    });
                }
            }
            b']' | b'}' if depth > 0 => {
                depth -= 1;
                value_start = false;
            }
            b',' if depth > 0 => value_start = true,
            b':' if space_after || depth > 0 => value_start = true,
            b'-' | b'?' if value_start && space_after => {}
            b'|' | b'>' if value_start && depth == 0 => {
                block_scalar = Some(indent_at(line_start));
                value_start = false;
            }
            b'&' | b'!' | b'*' if value_start => {
                while i + 1 < b.len() && !matches!(b[i + 1], b' ' | b'\t' | b'\n' | b'\r') {
                    i += 1;
                }
            }
            _ => value_start = false,
        }
        i += 1;
    }
    Ok(())
}

/// Reads and parses a YAML file.
pub fn read<T: DeserializeOwned>(path: &Path) -> Result<T> {
    let text = crate::bounded::read_text(path, MAX_YAML_BYTES as u64)?;
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
    fn deep_flow_nesting_is_refused_in_linear_time_with_its_place() {
        let deep = format!("id: a/b\ntitle: {}\n", "[".repeat(200_000));
        let started = std::time::Instant::now();
        let err = parse::<serde_yaml::Value>(&deep, Path::new("m.yaml")).unwrap_err();
        assert!(
            started.elapsed().as_secs_f64() < 1.0,
            "{:?}",
            started.elapsed()
        );
        let text = err.to_string();
        assert!(
            text.starts_with("m.yaml:2:72: collections nest deeper than 64"),
            "{text}"
        );
        let ok = format!("a: {}1{}\n", "[".repeat(60), "]".repeat(60));
        assert!(parse::<serde_yaml::Value>(&ok, Path::new("m.yaml")).is_ok());
    }

    #[test]
    fn brackets_that_open_no_collection_do_not_count() {
        let one = "t: see [1\nq: '[[[ it''s [[['\nd: \"{{\\\" {{\"\n# [[[[\n";
        let block = format!("notice: |\n  {}\n\n  more\nnext: x\n", "[".repeat(100));
        let text = format!("{}{}", one.repeat(40), block);
        assert_eq!(check_depth(&text), Ok(()));
        assert!(check_depth(&format!("a: &x !!seq {}", "[".repeat(65))).is_err());
        assert!(check_depth(&format!("- {}", "{a: ".repeat(65))).is_err());
    }

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
