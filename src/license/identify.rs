//! Which license a text is, by its content.
//!
//! A file listed as a license copy must be the license it stands for: an
//! Apache-2.0 text does not carry Gemma's terms. Texts of SPDX licenses are
//! matched the way the SPDX matching guidelines ask (case, whitespace,
//! punctuation, quotes and copyright marks do not count; word bigrams
//! compared, as askalono does) against the SPDX license list cached in the
//! `spdx` crate. Licenses outside the list (Llama, Gemma, RAIL, …) are
//! recognised by the fingerprint their catalog entry declares: short
//! identifying fragments, all of which must occur in the normalised text.

use std::path::Path;
use std::sync::OnceLock;

use crate::commons::Loaded;
use crate::error::Result;
use crate::license::catalog::{Catalog, LicenseTerms};

/// How close to an SPDX text a copy must be to count as that license
/// (askalono's own threshold for a confident match).
const SPDX_THRESHOLD: f32 = 0.9;

/// What a text was found to be.
#[derive(Debug, Clone, PartialEq)]
pub enum Identity {
    /// The text of an SPDX license (its id, the match score).
    Spdx(String, f32),
    /// The text of a catalog license, by its fingerprint.
    Fingerprint(String),
    /// No license this check knows.
    Unknown,
}

impl Identity {
    /// The license id it names, if any.
    pub fn id(&self) -> Option<&str> {
        match self {
            Identity::Spdx(id, _) | Identity::Fingerprint(id) => Some(id),
            Identity::Unknown => None,
        }
    }
}

/// A file a record lists as a license copy, and what its content is.
#[derive(Debug, Clone, PartialEq)]
pub struct LicenseCopy {
    pub file: String,
    /// `None`: the file is not in the artifact folder.
    pub identity: Option<Identity>,
}

/// The license files `record` lists, read from its artifact folder `dir`
/// and identified.
pub fn copies(catalog: &Catalog, record: &Loaded, dir: &Path) -> Result<Vec<LicenseCopy>> {
    let listed = record
        .manifest
        .license
        .as_ref()
        .map(|l| l.license_files.as_slice())
        .unwrap_or_default();
    listed
        .iter()
        .map(|file| {
            let path = dir.join(file);
            let identity = if path.is_file() {
                let text = crate::bounded::read_text(&path, crate::yaml::MAX_YAML_BYTES as u64)?;
                Some(identify(catalog, &text))
            } else {
                None
            };
            Ok(LicenseCopy {
                file: file.clone(),
                identity,
            })
        })
        .collect()
}

fn store() -> Option<&'static spdx::detection::Store> {
    static STORE: OnceLock<Option<spdx::detection::Store>> = OnceLock::new();
    STORE
        .get_or_init(|| spdx::detection::Store::load_inline().ok())
        .as_ref()
}

/// The license `text` is: an SPDX license matched by content, else a
/// catalog license by its fingerprint.
pub fn identify(catalog: &Catalog, text: &str) -> Identity {
    if let Some(store) = store() {
        let found = store.analyze(&spdx::detection::TextData::new(text));
        if found.score >= SPDX_THRESHOLD {
            return Identity::Spdx(found.name.to_owned(), found.score);
        }
    }
    // SPDX licenses are told by their whole text; a fingerprint of a few
    // phrases would take one for its kin (the LGPL quotes the GPL's title).
    match catalog
        .recognise(text)
        .into_iter()
        .find(|t| spdx::license_id(&t.id).is_none())
    {
        Some(t) => Identity::Fingerprint(t.id.clone()),
        None => Identity::Unknown,
    }
}

/// Whether `terms` can be told from other texts at all: an SPDX license
/// (whose text the SPDX list holds) or an entry with a fingerprint.
pub fn identifiable(terms: &LicenseTerms) -> bool {
    store().is_some() && spdx::license_id(&terms.id).is_some()
        || !terms.markers.is_empty() && spdx::license_id(&terms.id).is_none()
}

/// Whether a text identified as `found` is a copy of `wanted`: the same
/// catalog license, or the same SPDX text (`-only` and `-or-later` differ
/// only in the notice that applies the text, not in the text).
pub fn is_copy_of(catalog: &Catalog, found: &Identity, wanted: &LicenseTerms) -> bool {
    let Some(id) = found.id() else { return false };
    if catalog.same(id, &wanted.id) {
        return true;
    }
    let base = |x: &str| {
        let x = x.trim_end_matches('+');
        x.strip_suffix("-only")
            .or_else(|| x.strip_suffix("-or-later"))
            .unwrap_or(x)
            .to_ascii_lowercase()
    };
    std::iter::once(&wanted.id)
        .chain(&wanted.aliases)
        .any(|w| base(w) == base(id))
}

/// A text normalised as the SPDX matching guidelines ask: case, whitespace,
/// punctuation, quote and dash styles, bullets and the copyright mark do
/// not count, and "licence" reads as "license".
pub fn normalise(text: &str) -> String {
    let lower = text
        .to_lowercase()
        .replace('©', " copyright ")
        .replace("(c)", " copyright ")
        .replace("licence", "license");
    lower
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn common(name: &str) -> Option<String> {
        std::fs::read_to_string(format!("/usr/share/common-licenses/{name}")).ok()
    }

    #[test]
    fn normalises_as_the_spdx_guidelines_ask() {
        assert_eq!(
            normalise("“Licence”—© 2024\n  * Built   with-Llama"),
            "license copyright 2024 built with llama"
        );
    }

    #[test]
    fn spdx_texts_are_identified_by_content() {
        let c = Catalog::built_in();
        let Some(apache) = common("Apache-2.0") else {
            return;
        };
        let found = identify(&c, &apache);
        assert!(
            matches!(&found, Identity::Spdx(id, _) if id == "Apache-2.0"),
            "{found:?}"
        );
        assert!(is_copy_of(&c, &found, c.get("Apache-2.0").unwrap()));
        assert!(!is_copy_of(&c, &found, c.get("LicenseRef-gemma").unwrap()));
        if let Some(gpl) = common("GPL-3") {
            let found = identify(&c, &gpl);
            assert!(is_copy_of(&c, &found, c.get("GPL-3.0-only").unwrap()));
            assert!(!is_copy_of(&c, &found, c.get("AGPL-3.0-only").unwrap()));
        }
        if let Some(lgpl) = common("LGPL-3") {
            let found = identify(&c, &lgpl);
            assert!(!matches!(found, Identity::Fingerprint(_)), "{found:?}");
            assert!(!is_copy_of(&c, &found, c.get("GPL-3.0-only").unwrap()));
        }
    }

    #[test]
    fn custom_licenses_by_fingerprint() {
        let c = Catalog::built_in();
        let gemma = c.get("LicenseRef-gemma").unwrap();
        let text = gemma.markers.join("\n\n");
        assert!(is_copy_of(&c, &identify(&c, &text), gemma));
        assert_eq!(identify(&c, "a note, not a license"), Identity::Unknown);
    }
}
