//! STS-B pairs: tab-separated genre, file, year, id, score, sentence 1,
//! sentence 2 (some rows carry extra columns after, which are ignored).

use std::path::Path;

use super::read_text;
use crate::eval::{EvalError, Result};

#[derive(Debug, Clone, PartialEq)]
pub struct Pair {
    pub first: String,
    pub second: String,
    /// The gold similarity, 0 to 5.
    pub score: f64,
}

pub fn read_pairs(path: &Path) -> Result<Vec<Pair>> {
    let text = read_text(path)?;
    let mut pairs = Vec::new();
    for (i, line) in text.lines().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        let fields: Vec<&str> = line.split('\t').collect();
        if fields.len() < 7 {
            return Err(EvalError::data(
                path,
                i + 1,
                format!(
                    "expected 7 tab-separated fields (genre, file, year, id, score, sentence1, sentence2), found {}",
                    fields.len()
                ),
            ));
        }
        let score = fields[4]
            .trim()
            .parse::<f64>()
            .ok()
            .filter(|s| s.is_finite())
            .ok_or_else(|| {
                EvalError::data(
                    path,
                    i + 1,
                    format!("score {:?} is not a number", fields[4]),
                )
            })?;
        pairs.push(Pair {
            first: fields[5].to_owned(),
            second: fields[6].to_owned(),
            score,
        });
    }
    Ok(pairs)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_pairs_and_ignores_extra_columns() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("sts.csv");
        std::fs::write(
            &p,
            "g\tf\t2012\t1\t2.5\tA cat.\tA dog.\textra\tmore\ng\tf\t2012\t2\tx\ta\tb\n",
        )
        .unwrap();
        let e = read_pairs(&p).unwrap_err().to_string();
        assert!(e.ends_with("sts.csv:2: score \"x\" is not a number"), "{e}");
        std::fs::write(&p, "g\tf\t2012\t1\t2.5\tA cat.\tA dog.\textra\n").unwrap();
        assert_eq!(
            read_pairs(&p).unwrap(),
            vec![Pair {
                first: "A cat.".into(),
                second: "A dog.".into(),
                score: 2.5
            }]
        );
    }
}
