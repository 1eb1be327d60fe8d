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
    /// The license text's fingerprint: short identifying fragments, all of
    /// which occur in its text once normalised (`identify::normalise`); how
    /// a copy of a license outside the SPDX list is recognised.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub markers: Vec<String>,
    #[serde(default)]
    pub obligations: Obligations,
}

/// What a clause reaches: the kinds of work derived from the licensed one
/// that its text binds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Reach {
    /// Models made from the licensed weights: fine-tunes, adapters, merges,
    /// quantizations, continued pre-training.
    Weights,
    /// Models trained on the licensed model's outputs: distillation, or
    /// training on data it generated. Listed, the clause names outputs and
    /// binds such models whatever `distillation_is_derivative` says; left
    /// out, the text is silent and that switch decides.
    Outputs,
    /// Datasets adapted from the licensed data.
    #[serde(alias = "data")]
    Datasets,
    /// Models trained on the licensed data (when
    /// `dataset_licenses_bind_weights` holds).
    TrainedModels,
}

/// Whom a clause binds: the kinds of derived work its text reaches.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(transparent)]
pub struct Scope(pub Vec<Reach>);

impl Default for Scope {
    /// A clause about derivatives in general: derived weights and data,
    /// and models trained on the data; outputs left to the switch.
    fn default() -> Scope {
        Scope(vec![Reach::Weights, Reach::Datasets, Reach::TrainedModels])
    }
}

impl Scope {
    pub fn reaches(&self, r: Reach) -> bool {
        self.0.contains(&r)
    }

    fn is_default(&self) -> bool {
        *self == Scope::default()
    }
}

impl<'de> Deserialize<'de> for Scope {
    /// One reach or a list of them; `all` is the default set.
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> std::result::Result<Scope, D::Error> {
        #[derive(Deserialize)]
        #[serde(untagged)]
        enum Spec {
            All(AllWord),
            One(Reach),
            Many(Vec<Reach>),
        }
        #[derive(Deserialize)]
        #[serde(rename_all = "kebab-case")]
        enum AllWord {
            All,
        }
        Ok(match Spec::deserialize(d)? {
            Spec::All(AllWord::All) => Scope::default(),
            Spec::One(r) => Scope(vec![r]),
            Spec::Many(v) => Scope(v),
        })
    }
}

/// The act of the derivative's publisher that sets a clause off.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Trigger {
    /// Handing out copies: published weights, or any dataset.
    Distribution,
    /// Making the model available at all: published or served.
    Offering,
    /// Serving the model to others (an API, a hosted instance).
    Serving,
    /// Publishing a model under a name of one's own: a record published
    /// under the name of the model it derives from (a quantization, say)
    /// does not.
    NewName,
}

/// What every obligation says besides its own terms.
pub trait Bound {
    /// The clause (section number) it comes from.
    fn clause(&self) -> &str;
    /// The derived works its text reaches.
    fn scope(&self) -> &Scope;
    /// What sets it off, if the entry says (else the obligation's default).
    fn trigger(&self) -> Option<Trigger>;
    /// Why it has the scope and trigger it has.
    fn why(&self) -> Option<&str>;
}

/// An obligation's struct: its clause, scope, trigger and reason, then its
/// own fields.
macro_rules! obligation {
    ($(#[$m:meta])* $name:ident { $($(#[$fm:meta])* $field:ident : $ty:ty),* $(,)? }) => {
        $(#[$m])*
        #[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
        #[serde(deny_unknown_fields)]
        pub struct $name {
            pub clause: String,
            #[serde(default, skip_serializing_if = "Scope::is_default")]
            pub scope: Scope,
            #[serde(default, skip_serializing_if = "Option::is_none")]
            pub trigger: Option<Trigger>,
            #[serde(default, skip_serializing_if = "Option::is_none")]
            pub why: Option<String>,
            $($(#[$fm])* pub $field: $ty,)*
        }

        impl Bound for $name {
            fn clause(&self) -> &str {
                &self.clause
            }
            fn scope(&self) -> &Scope {
                &self.scope
            }
            fn trigger(&self) -> Option<Trigger> {
                self.trigger
            }
            fn why(&self) -> Option<&str> {
                self.why.as_deref()
            }
        }
    };
}

obligation!(
    /// A clause with no terms of its own beyond whom it binds.
    Clause {}
);

obligation!(Notice {
    /// A notice text the license itself prescribes.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    text: Option<String>,
});

obligation!(ShareAlike {
    /// Licenses a derivative may take (this license is always one).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    compatible: Vec<String>,
});

obligation!(UseRestrictions {
    /// The policy or attachment that lists the restrictions.
    policy: String,
});

obligation!(Naming {
    /// What the derivative's name must begin with.
    prefix: String,
    /// Older spelling of listing `outputs` in the scope, still read.
    #[serde(default, skip_serializing)]
    outputs: bool,
});

obligation!(DisplayAttribution {
    /// Accepted wordings; the display must contain one.
    text: Vec<String>,
});

obligation!(Hosting {
    /// What serving the model requires.
    requires: String,
});

/// The act that needs the licensor's permission.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum PermissionFor {
    /// Offering a derivative for commercial use.
    Commercial,
    /// Sharing a derivative at all.
    Derivatives,
}

obligation!(Permission {
    #[serde(rename = "for")]
    act: PermissionFor,
    /// Whom to ask.
    from: String,
});

obligation!(Reciprocity {
    /// Derivatives must record their training data and where it came from.
    #[serde(default)]
    provenance: bool,
    /// Derivatives must contribute evaluations back (an eval manifest).
    #[serde(default)]
    evaluations: bool,
});

obligation!(Outbound {
    /// Every license a derivative may be offered under must include one of
    /// these.
    licenses: Vec<String>,
});

obligation!(
    /// A generator's terms of service on what its outputs may be used for.
    OutputTerms {
        /// What the terms forbid doing with the outputs.
        forbids: String,
    }
);

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
    /// Terms of a service (a proprietary generator) on the use of its
    /// outputs, such as building competing models with them.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub output_terms: Option<OutputTerms>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub hosting: Option<Hosting>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub permission: Option<Permission>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reciprocity: Option<Reciprocity>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub outbound: Option<Outbound>,
}

impl Obligations {
    /// Every obligation present, by its catalog name.
    pub fn all(&self) -> Vec<(&'static str, &dyn Bound)> {
        fn put<'a, T: Bound>(
            out: &mut Vec<(&'static str, &'a dyn Bound)>,
            name: &'static str,
            o: &'a Option<T>,
        ) {
            if let Some(o) = o {
                out.push((name, o));
            }
        }
        let mut out = Vec::new();
        put(&mut out, "license_copy", &self.license_copy);
        put(&mut out, "notice", &self.notice);
        put(&mut out, "attribution", &self.attribution);
        put(&mut out, "share_alike", &self.share_alike);
        put(&mut out, "non_commercial", &self.non_commercial);
        put(&mut out, "research_only", &self.research_only);
        put(&mut out, "use_restrictions", &self.use_restrictions);
        put(&mut out, "naming", &self.naming);
        put(&mut out, "display_attribution", &self.display_attribution);
        put(&mut out, "competing_models", &self.competing_models);
        put(&mut out, "output_terms", &self.output_terms);
        put(&mut out, "hosting", &self.hosting);
        put(&mut out, "permission", &self.permission);
        put(&mut out, "reciprocity", &self.reciprocity);
        put(&mut out, "outbound", &self.outbound);
        out
    }
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
        "CDLA-Permissive-1.0.yaml",
        include_str!("../../licenses/CDLA-Permissive-1.0.yaml"),
    ),
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
        "PDDL-1.0.yaml",
        include_str!("../../licenses/PDDL-1.0.yaml"),
    ),
    (
        "ai2-impact-hr.yaml",
        include_str!("../../licenses/ai2-impact-hr.yaml"),
    ),
    (
        "ai2-impact-lr.yaml",
        include_str!("../../licenses/ai2-impact-lr.yaml"),
    ),
    (
        "ai2-impact-mr.yaml",
        include_str!("../../licenses/ai2-impact-mr.yaml"),
    ),
    (
        "anthropic-terms.yaml",
        include_str!("../../licenses/anthropic-terms.yaml"),
    ),
    (
        "bigcode-openrail-m.yaml",
        include_str!("../../licenses/bigcode-openrail-m.yaml"),
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
        "deepseek.yaml",
        include_str!("../../licenses/deepseek.yaml"),
    ),
    (
        "falcon-180b-tii.yaml",
        include_str!("../../licenses/falcon-180b-tii.yaml"),
    ),
    (
        "falcon-llm.yaml",
        include_str!("../../licenses/falcon-llm.yaml"),
    ),
    (
        "gemini-api-terms.yaml",
        include_str!("../../licenses/gemini-api-terms.yaml"),
    ),
    ("gemma.yaml", include_str!("../../licenses/gemma.yaml")),
    (
        "kaitiakitanga.yaml",
        include_str!("../../licenses/kaitiakitanga.yaml"),
    ),
    ("llama2.yaml", include_str!("../../licenses/llama2.yaml")),
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
    ("llama3.yaml", include_str!("../../licenses/llama3.yaml")),
    ("llama4.yaml", include_str!("../../licenses/llama4.yaml")),
    (
        "mdl-commercial.yaml",
        include_str!("../../licenses/mdl-commercial.yaml"),
    ),
    (
        "mdl-no-distribute.yaml",
        include_str!("../../licenses/mdl-no-distribute.yaml"),
    ),
    (
        "mdl-research.yaml",
        include_str!("../../licenses/mdl-research.yaml"),
    ),
    (
        "mistral-non-production.yaml",
        include_str!("../../licenses/mistral-non-production.yaml"),
    ),
    (
        "mistral-research.yaml",
        include_str!("../../licenses/mistral-research.yaml"),
    ),
    (
        "openai-terms.yaml",
        include_str!("../../licenses/openai-terms.yaml"),
    ),
    (
        "openrail-pp.yaml",
        include_str!("../../licenses/openrail-pp.yaml"),
    ),
    (
        "openrail.yaml",
        include_str!("../../licenses/openrail.yaml"),
    ),
    (
        "qwen-research.yaml",
        include_str!("../../licenses/qwen-research.yaml"),
    ),
    ("qwen.yaml", include_str!("../../licenses/qwen.yaml")),
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

    fn insert(&mut self, mut terms: LicenseTerms) {
        if let Some(n) = terms.obligations.naming.as_mut()
            && std::mem::take(&mut n.outputs)
            && !n.scope.reaches(Reach::Outputs)
        {
            n.scope.0.push(Reach::Outputs);
        }
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
        let text = format!(" {} ", crate::license::identify::normalise(text));
        let has =
            |m: &String| text.contains(&format!(" {} ", crate::license::identify::normalise(m)));
        let mut found: Vec<(&LicenseTerms, usize)> = self
            .entries
            .iter()
            .filter(|t| !t.markers.is_empty())
            .filter(|t| t.markers.iter().all(has))
            .map(|t| (t, t.markers.iter().map(String::len).sum()))
            .collect();
        found.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.id.cmp(&b.0.id)));
        found.into_iter().map(|(t, _)| t).collect()
    }
}

/// Lowercase, whitespace collapsed: how texts are compared.
pub fn normalise(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for word in text.split_whitespace() {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(word);
    }
    if out.is_ascii() {
        out.make_ascii_lowercase();
        out
    } else {
        out.to_lowercase()
    }
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
        assert!(catalog.entries().len() >= 50);
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
    fn every_obligation_says_why_it_reaches_what_it_reaches() {
        for t in Catalog::built_in().entries() {
            for (name, o) in t.obligations.all() {
                assert!(
                    o.why().is_some_and(|w| w.len() > 20),
                    "{}: {name} (clause {}) does not say why it has its scope",
                    t.id,
                    o.clause()
                );
            }
        }
    }

    #[test]
    fn scope_reads_one_reach_a_list_or_all() {
        let one: Clause = serde_yaml::from_str("{ clause: '1', scope: data }").unwrap();
        assert_eq!(one.scope, Scope(vec![Reach::Datasets]));
        let many: Clause =
            serde_yaml::from_str("{ clause: '1', scope: [weights, outputs] }").unwrap();
        assert!(many.scope.reaches(Reach::Outputs));
        let all: Clause = serde_yaml::from_str("{ clause: '1', scope: all }").unwrap();
        assert_eq!(all.scope, Scope::default());
        assert!(serde_yaml::from_str::<Clause>("{ clause: '1', scope: everything }").is_err());
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
