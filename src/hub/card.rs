//! A repo card's YAML front matter: what it says about license and lineage,
//! and where it contradicts itself.
//!
//! The Hub's card fields are loose (a string or a list, ids in the Hub's own
//! spelling), so they are read leniently into [`Card`]; the Hub's license ids
//! are mapped to SPDX here, and ids SPDX does not know become
//! `LicenseRef-<id>`, keeping the card's spelling in `declared`.

use serde_yaml::Value;

/// The card fields a draft manifest is made from.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Card {
    pub license: Vec<String>,
    pub license_name: Option<String>,
    pub license_link: Option<String>,
    pub datasets: Vec<String>,
    pub base_model: Vec<String>,
    pub base_model_relation: Option<String>,
    pub language: Vec<String>,
    pub source_datasets: Vec<String>,
    pub pretty_name: Option<String>,
}

/// A card's front matter could not be read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CardError {
    pub line: usize,
    pub message: String,
}

/// Reads the front matter (between `---` lines at the top) of a card.
/// `Ok(None)` when the card has none.
pub fn parse(text: &str) -> Result<Option<Card>, CardError> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut lines = text.split_inclusive('\n');
    match lines.next() {
        Some(first) if first.trim_end() == "---" => {}
        _ => return Ok(None),
    }
    let mut yaml = String::new();
    let mut closed = false;
    for line in lines {
        if line.trim_end() == "---" {
            closed = true;
            break;
        }
        yaml.push_str(line);
    }
    if !closed {
        return Err(CardError {
            line: 1,
            message: "the front matter opened by `---` is never closed".into(),
        });
    }
    crate::yaml::check_depth(&yaml).map_err(|deep| CardError {
        line: deep.line + 1,
        message: deep.to_string(),
    })?;
    let value: Value = serde_yaml::from_str(&yaml).map_err(|e| CardError {
        line: e.location().map_or(1, |l| l.line() + 1),
        message: e.to_string(),
    })?;
    let field = |name: &str| value.get(name);
    Ok(Some(Card {
        license: strings(field("license")),
        license_name: strings(field("license_name")).into_iter().next(),
        license_link: strings(field("license_link")).into_iter().next(),
        datasets: strings(field("datasets")),
        base_model: strings(field("base_model")),
        base_model_relation: strings(field("base_model_relation")).into_iter().next(),
        language: strings(field("language")),
        source_datasets: strings(field("source_datasets")),
        pretty_name: strings(field("pretty_name")).into_iter().next(),
    }))
}

/// A string, or a list of strings, as strings; anything else as nothing.
fn strings(value: Option<&Value>) -> Vec<String> {
    let one = |v: &Value| match v {
        Value::String(s) => Some(s.trim().to_owned()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        _ => None,
    };
    match value {
        Some(Value::Sequence(items)) => items
            .iter()
            .filter_map(one)
            .filter(|s| !s.is_empty())
            .collect(),
        Some(v) => one(v).filter(|s| !s.is_empty()).into_iter().collect(),
        None => Vec::new(),
    }
}

pub use crate::license::hub_id::{license_ref, spdx_for};

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fuzz_card_front_matter() {
        crate::fuzz::fuzz("card", crate::fuzz::YAML_WORDS, Vec::new(), |bytes| {
            if let Ok(text) = std::str::from_utf8(bytes) {
                let _ = parse(text);
                let _ = crate::license::drift::card_license(text);
            }
        });
    }

    #[test]
    fn reads_the_minilm_card() {
        let card = parse("---\nlanguage: en\nlicense: apache-2.0\ndatasets:\n- s2orc\n- ms_marco\n---\n# Title\n")
            .unwrap()
            .unwrap();
        assert_eq!(card.license, ["apache-2.0"]);
        assert_eq!(card.datasets, ["s2orc", "ms_marco"]);
        assert_eq!(card.language, ["en"]);
    }

    #[test]
    fn no_front_matter_is_none_and_bad_yaml_has_a_line() {
        assert_eq!(parse("# Just a title\n").unwrap(), None);
        let err = parse("---\nlicense: mit\ndatasets: [a\n---\n").unwrap_err();
        assert!(err.line >= 2, "{err:?}");
        assert!(parse("---\nlicense: mit\n").is_err());
    }

    #[test]
    fn hub_license_ids_map_to_spdx() {
        assert_eq!(spdx_for("apache-2.0"), "Apache-2.0");
        assert_eq!(spdx_for("mit"), "MIT");
        assert_eq!(spdx_for("cc-by-nc-4.0"), "CC-BY-NC-4.0");
        assert_eq!(spdx_for("gpl-3.0"), "GPL-3.0-only");
        assert_eq!(spdx_for("llama3.1"), "LicenseRef-llama3.1");
        assert_eq!(spdx_for("openrail++"), "LicenseRef-openrail-plus-plus");
        for id in [
            "Apache-2.0",
            "LicenseRef-llama3.1",
            "LicenseRef-openrail-plus-plus",
            "GPL-3.0-only",
        ] {
            crate::license::expression::parse(id).unwrap();
        }
    }
}
