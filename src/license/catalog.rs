//! The license catalog: what each license asks of those who build on the
//! work, as data.
//!
//! One YAML file per license under `licenses/`. The project's own files are
//! built into the binary; a commons adds or overrides entries with YAML files
//! in its own `licenses/` folder. Every obligation names the clause it comes
//! from, so a finding can say why it applies. Entries are summaries written
//! for this catalog, never license texts.

use std::collections::HashMap;
use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::error::{Error, IoContext, Result};

/// One license and its obligations.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LicenseTerms {
    /// SPDX id, or `LicenseRef-…` for licenses outside the SPDX list.
    pub id: String,
    pub name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    /// Other ids that mean the same license (deprecated SPDX ids, `+`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub aliases: Vec<String>,
    /// Hugging Face `license:` values that mean this license.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub hub: Vec<String>,
    /// Hugging Face `license_name:` values (with `license: other`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub hub_names: Vec<String>,
    /// Phrases that identify the license text (all must occur), used to
    /// recognise a LICENSE file.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub markers: Vec<String>,
    #[serde(default)]
    pub obligations: Obligations,
}

/// Whom an obligation binds.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Scope {
    /// Every derivative: adapted data and models built from it.
    #[default]
    All,
    /// Derived data only; a model trained on the data is a "produced work"
    /// or "result" the clause does not reach (ODbL 4.4, CDLA-Sharing 3).
    Data,
}

/// A clause reference, with whom it binds.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Clause {
    pub clause: String,
    #[serde(default)]
    pub scope: Scope,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Notice {
    pub clause: String,
    #[serde(default)]
    pub scope: Scope,
    /// A notice text the license itself prescribes.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub text: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ShareAlike {
    pub clause: String,
    #[serde(default)]
    pub scope: Scope,
    /// Licenses a derivative may take (this license is always one).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub compatible: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct UseRestrictions {
    pub clause: String,
    /// The policy or attachment that lists the restrictions.
    pub policy: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Naming {
    pub clause: String,
    /// What the derivative's name must begin with.
    pub prefix: String,
    /// Whether models trained on the work's outputs are bound too.
    #[serde(default)]
    pub outputs: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DisplayAttribution {
    pub clause: String,
    /// Accepted wordings; the display must contain one.
    pub text: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Hosting {
    pub clause: String,
    /// What serving the model requires.
    pub requires: String,
}

/// The act that needs the licensor's permission.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum PermissionFor {
    /// Offering a derivative for commercial use.
    Commercial,
    /// Sharing a derivative at all.
    Derivatives,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Permission {
    pub clause: String,
    #[serde(rename = "for")]
    pub act: PermissionFor,
    /// Whom to ask.
    pub from: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Reciprocity {
    pub clause: String,
    /// Derivatives must record their training data and where it came from.
    #[serde(default)]
    pub provenance: bool,
    /// Derivatives must contribute evaluations back (an eval manifest).
    #[serde(default)]
    pub evaluations: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Outbound {
    pub clause: String,
    /// Every license a derivative may be offered under must include one of
    /// these.
    pub licenses: Vec<String>,
}

/// What a license asks of derivatives; absent means not asked.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Obligations {
    /// A copy of the license text travels with every copy.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub license_copy: Option<Clause>,
    /// Notice texts (NOTICE file, copyright notices) travel with every copy.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub notice: Option<Notice>,
    /// The source must be credited.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub attribution: Option<Clause>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub share_alike: Option<ShareAlike>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub non_commercial: Option<Clause>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub research_only: Option<Clause>,
    /// Use restrictions derivatives must pass on to their own users.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub use_restrictions: Option<UseRestrictions>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub naming: Option<Naming>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub display_attribution: Option<DisplayAttribution>,
    /// The work's outputs may not be used to improve other models (except
    /// derivatives under this same license).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub competing_models: Option<Clause>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub hosting: Option<Hosting>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub permission: Option<Permission>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reciprocity: Option<Reciprocity>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub outbound: Option<Outbound>,
}

impl LicenseTerms {
    /// Whether taking a derivative under this license keeps it from
    /// commercial use.
    pub fn restricts_commerce(&self) -> bool {
        self.obligations.non_commercial.is_some() || self.obligations.research_only.is_some()
    }
}

/// The files built into the binary: the project's own `licenses/`.
const BUILT_IN: &[(&str, &str)] = &[
    (
        "AGPL-3.0-only.yaml",
        include_str!("../../licenses/AGPL-3.0-only.yaml"),
    ),
    (
        "Apache-2.0.yaml",
        include_str!("../../licenses/Apache-2.0.yaml"),
    ),
    (
        "BSD-3-Clause.yaml",
        include_str!("../../licenses/BSD-3-Clause.yaml"),
    ),
    (
        "CC-BY-4.0.yaml",
        include_str!("../../licenses/CC-BY-4.0.yaml"),
    ),
    (
        "CC-BY-NC-4.0.yaml",
        include_str!("../../licenses/CC-BY-NC-4.0.yaml"),
    ),
    (
        "CC-BY-NC-ND-4.0.yaml",
        include_str!("../../licenses/CC-BY-NC-ND-4.0.yaml"),
    ),
    (
        "CC-BY-NC-SA-4.0.yaml",
        include_str!("../../licenses/CC-BY-NC-SA-4.0.yaml"),
    ),
    (
        "CC-BY-SA-3.0.yaml",
        include_str!("../../licenses/CC-BY-SA-3.0.yaml"),
    ),
    (
        "CC-BY-SA-4.0.yaml",
        include_str!("../../licenses/CC-BY-SA-4.0.yaml"),
    ),
    ("CC0-1.0.yaml", include_str!("../../licenses/CC0-1.0.yaml")),
    (
        "CDLA-Permissive-2.0.yaml",
        include_str!("../../licenses/CDLA-Permissive-2.0.yaml"),
    ),
    (
        "CDLA-Sharing-1.0.yaml",
        include_str!("../../licenses/CDLA-Sharing-1.0.yaml"),
    ),
    (
        "Commons-Reciprocal-1.0.yaml",
        include_str!("../../licenses/Commons-Reciprocal-1.0.yaml"),
    ),
    (
        "GPL-2.0-only.yaml",
        include_str!("../../licenses/GPL-2.0-only.yaml"),
    ),
    (
        "GPL-2.0-or-later.yaml",
        include_str!("../../licenses/GPL-2.0-or-later.yaml"),
    ),
    (
        "GPL-3.0-only.yaml",
        include_str!("../../licenses/GPL-3.0-only.yaml"),
    ),
    ("MIT.yaml", include_str!("../../licenses/MIT.yaml")),
    (
        "ODC-By-1.0.yaml",
        include_str!("../../licenses/ODC-By-1.0.yaml"),
    ),
    (
        "ODbL-1.0.yaml",
        include_str!("../../licenses/ODbL-1.0.yaml"),
    ),
    (
        "bigscience-bloom-rail-1.0.yaml",
        include_str!("../../licenses/bigscience-bloom-rail-1.0.yaml"),
    ),
    (
        "bigscience-openrail-m.yaml",
        include_str!("../../licenses/bigscience-openrail-m.yaml"),
    ),
    (
        "creativeml-openrail-m.yaml",
        include_str!("../../licenses/creativeml-openrail-m.yaml"),
    ),
    (
        "falcon-180b-tii.yaml",
        include_str!("../../licenses/falcon-180b-tii.yaml"),
    ),
    ("gemma.yaml", include_str!("../../licenses/gemma.yaml")),
    ("llama2.yaml", include_str!("../../licenses/llama2.yaml")),
    ("llama3.yaml", include_str!("../../licenses/llama3.yaml")),
    (
        "llama3.1.yaml",
        include_str!("../../licenses/llama3.1.yaml"),
    ),
    (
        "llama3.2.yaml",
        include_str!("../../licenses/llama3.2.yaml"),
    ),
    (
        "llama3.3.yaml",
        include_str!("../../licenses/llama3.3.yaml"),
    ),
    (
        "mistral-research.yaml",
        include_str!("../../licenses/mistral-research.yaml"),
    ),
    (
        "openrail.yaml",
        include_str!("../../licenses/openrail.yaml"),
    ),
    ("qwen.yaml", include_str!("../../licenses/qwen.yaml")),
    (
        "qwen-research.yaml",
        include_str!("../../licenses/qwen-research.yaml"),
    ),
    (
        "tongyi-qianwen.yaml",
        include_str!("../../licenses/tongyi-qianwen.yaml"),
    ),
];

/// The licenses known to a check: built-in entries, then a commons' own.
#[derive(Debug, Clone, Default)]
pub struct Catalog {
    entries: Vec<LicenseTerms>,
    /// Lowercased id or alias → entry index.
    by_id: HashMap<String, usize>,
    /// Id or alias as written → entry index (the common, allocation-free case).
    exact: HashMap<String, usize>,
}

impl Catalog {
    /// The catalog built into the binary.
    pub fn built_in() -> Catalog {
        let mut catalog = Catalog::default();
        for (name, text) in BUILT_IN {
            let terms: LicenseTerms = crate::yaml::parse(text, &Path::new("licenses").join(name))
                .unwrap_or_else(|e| panic!("built-in catalog entry is invalid: {e}"));
            catalog.insert(terms);
        }
        catalog
    }

    /// The built-in catalog extended by the YAML files in `dir` (a commons'
    /// `licenses/` folder; other files there are ignored). An entry with the
    /// id of a built-in one replaces it.
    pub fn with_folder(dir: &Path) -> Result<Catalog> {
        let mut catalog = Catalog::built_in();
        if !dir.is_dir() {
            return Ok(catalog);
        }
        let mut paths: Vec<_> = std::fs::read_dir(dir)
            .at(dir)?
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.extension().is_some_and(|x| x == "yaml" || x == "yml"))
            .collect();
        paths.sort();
        for path in paths {
            let terms: LicenseTerms = crate::yaml::read(&path)?;
            crate::license::expression::parse(&terms.id).map_err(|m| Error::Invalid {
                path: path.clone(),
                field: "id".into(),
                message: format!("`{}` is not an SPDX id or LicenseRef-: {m}", terms.id),
            })?;
            catalog.insert(terms);
        }
        Ok(catalog)
    }

    fn insert(&mut self, terms: LicenseTerms) {
        let index = match self.by_id.get(&terms.id.to_ascii_lowercase()) {
            Some(&i) => {
                self.entries[i] = terms;
                i
            }
            None => {
                self.entries.push(terms);
                self.entries.len() - 1
            }
        };
        let terms = &self.entries[index];
        for key in std::iter::once(&terms.id).chain(&terms.aliases) {
            self.by_id.insert(key.to_ascii_lowercase(), index);
            self.exact.insert(key.clone(), index);
        }
    }

    /// The entry for an SPDX id, `LicenseRef-` or alias (case-insensitive).
    pub fn get(&self, id: &str) -> Option<&LicenseTerms> {
        self.by_id
            .get(&id.to_ascii_lowercase())
            .map(|&i| &self.entries[i])
    }

    /// Whether two ids name the same catalog license.
    pub fn same(&self, a: &str, b: &str) -> bool {
        match (self.get(a), self.get(b)) {
            (Some(x), Some(y)) => x.id == y.id,
            _ => a.eq_ignore_ascii_case(b),
        }
    }

    pub fn entries(&self) -> &[LicenseTerms] {
        &self.entries
    }

    /// The license a Hugging Face card's `license` (and, with `other`,
    /// `license_name`) means.
    pub fn from_hub(&self, license: &str, license_name: Option<&str>) -> Option<&LicenseTerms> {
        let license = license.trim();
        if license.eq_ignore_ascii_case("other") {
            let name = license_name?.trim();
            return self
                .entries
                .iter()
                .find(|t| t.hub_names.iter().any(|n| n.eq_ignore_ascii_case(name)));
        }
        self.entries
            .iter()
            .find(|t| t.hub.iter().any(|h| h.eq_ignore_ascii_case(license)))
            .or_else(|| self.get(license))
    }

    /// The licenses whose identifying phrases all occur in `text`, most
    /// specific first.
    pub fn recognise(&self, text: &str) -> Vec<&LicenseTerms> {
        let text = normalise(text);
        let mut found: Vec<(&LicenseTerms, usize)> = self
            .entries
            .iter()
            .filter(|t| !t.markers.is_empty())
            .filter(|t| t.markers.iter().all(|m| text.contains(&normalise(m))))
            .map(|t| (t, t.markers.iter().map(String::len).sum()))
            .collect();
        found.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.id.cmp(&b.0.id)));
        found.into_iter().map(|(t, _)| t).collect()
    }
}

/// Lowercase, whitespace collapsed: how texts are compared.
pub fn normalise(text: &str) -> String {
    text.split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase()
}

/// The SPDX id (or `LicenseRef-`) a Hugging Face card's license means,
/// according to the built-in catalog.
pub fn hub_license_id(license: &str, license_name: Option<&str>) -> Option<String> {
    Catalog::built_in()
        .from_hub(license, license_name)
        .map(|t| t.id.clone())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_license_file_is_built_in() {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("licenses");
        let mut on_disk: Vec<String> = std::fs::read_dir(&dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .filter(|n| n.ends_with(".yaml"))
            .collect();
        on_disk.sort();
        let mut built_in: Vec<String> = BUILT_IN.iter().map(|(n, _)| n.to_string()).collect();
        built_in.sort();
        assert_eq!(on_disk, built_in);
    }

    #[test]
    fn built_in_entries_are_consistent() {
        let catalog = Catalog::built_in();
        assert!(catalog.entries().len() >= 30);
        for t in catalog.entries() {
            crate::license::expression::parse(&t.id).unwrap_or_else(|e| panic!("{}: {e}", t.id));
            let o = &t.obligations;
            let referenced = o
                .share_alike
                .iter()
                .flat_map(|s| &s.compatible)
                .chain(o.outbound.iter().flat_map(|x| &x.licenses));
            for id in referenced {
                assert!(
                    catalog.get(id).is_some(),
                    "{} refers to unknown license {id}",
                    t.id
                );
            }
        }
    }

    #[test]
    fn maps_hub_ids() {
        let c = Catalog::built_in();
        assert_eq!(c.from_hub("apache-2.0", None).unwrap().id, "Apache-2.0");
        assert_eq!(
            c.from_hub("llama3.1", None).unwrap().id,
            "LicenseRef-llama3.1"
        );
        assert_eq!(
            c.from_hub("openrail", None).unwrap().id,
            "LicenseRef-openrail"
        );
        assert_eq!(
            c.from_hub("other", Some("mrl")).unwrap().id,
            "LicenseRef-mistral-research"
        );
        assert_eq!(
            c.from_hub("cc-by-nc-sa-4.0", None).unwrap().id,
            "CC-BY-NC-SA-4.0"
        );
        assert!(c.from_hub("other", None).is_none());
        assert_eq!(
            hub_license_id("gemma", None).as_deref(),
            Some("LicenseRef-gemma")
        );
    }

    #[test]
    fn aliases_resolve() {
        let c = Catalog::built_in();
        assert_eq!(c.get("GPL-3.0").unwrap().id, "GPL-3.0-only");
        assert_eq!(c.get("apache-2.0").unwrap().id, "Apache-2.0");
        assert!(c.same("GPL-2.0+", "GPL-2.0-or-later"));
    }

    #[test]
    fn recognises_license_texts() {
        let c = Catalog::built_in();
        let mit = "Copyright (c) 2024 X\n\nPermission is hereby granted, free of charge, to any person obtaining a copy";
        assert_eq!(c.recognise(mit)[0].id, "MIT");
        assert!(c.recognise("nothing to see").is_empty());
    }
}
