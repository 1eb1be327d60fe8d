//! A draft manifest from a fetch and the repo card.
//!
//! The draft records what is known for certain (source pinned to a commit,
//! every file's size and sha256) and what the card claims (license, training
//! data, base models). A reference is resolved only to a manifest the
//! commons already has, with that manifest's digest; anything else is listed
//! in `model.unresolved` for a maintainer to record, never invented. Where
//! the card is silent or contradicts itself, a warning says so.

use crate::digest::{PIECE_SIZE, Sha256Hex};
use crate::manifest::{
    FileEntry, HubSource, Kind, License, Manifest, ModelSection, Pieces, Reference, Relation,
    Source, TrainingData, Upstream, Weights,
};

use super::card::{self, Card};
use super::{CARD, Fetched, RepoKind};

/// A draft and what the card left unclear.
#[derive(Debug, Clone)]
pub struct Draft {
    pub manifest: Manifest,
    pub warnings: Vec<String>,
}

/// Finds the digest of the manifest a commons holds for an id of a kind.
pub type Lookup<'a> = &'a dyn Fn(Kind, &str) -> Option<Sha256Hex>;

pub fn draft(fetched: &Fetched, lookup: Lookup<'_>) -> Draft {
    let kind = match fetched.kind {
        RepoKind::Model => Kind::Model,
        RepoKind::Dataset => Kind::Dataset,
    };
    let mut manifest = Manifest::new(kind, fetched.repo.clone());
    manifest.source = Some(Source {
        hub: Some(HubSource {
            endpoint: fetched.endpoint.clone(),
            repo_type: fetched.kind.singular().to_owned(),
            repo: fetched.repo.clone(),
            revision: fetched.commit.clone(),
        }),
        url: None,
        retrieved: None,
        git: None,
        local: None,
    });
    manifest.files = fetched
        .files
        .iter()
        .map(|f| FileEntry {
            path: f.path.clone(),
            size: f.size,
            sha256: f.sha256.clone(),
            pieces: f.pieces.clone().map(|sha256| Pieces {
                size: PIECE_SIZE,
                sha256,
            }),
        })
        .collect();
    let mut builder = Builder {
        fetched,
        lookup,
        manifest,
        warnings: Vec::new(),
    };
    match read_card(fetched) {
        Ok(card) => builder.apply(&card),
        Err(warning) => builder.warnings.push(warning),
    }
    if let Some(model) = &mut builder.manifest.model {
        model.format = format_of(fetched);
        model.weights = Some(Weights::Published);
    }
    Draft {
        manifest: builder.manifest,
        warnings: builder.warnings,
    }
}

fn read_card(fetched: &Fetched) -> Result<Card, String> {
    let Some(text) = fetched.card_text() else {
        return Err(format!(
            "`{}` has no {CARD} card: the draft has no license or lineage",
            fetched.repo
        ));
    };
    match card::parse(&text) {
        Ok(Some(card)) => Ok(card),
        Ok(None) => Err(format!(
            "{CARD} has no YAML front matter: the draft has no license or lineage"
        )),
        Err(e) => Err(format!(
            "{CARD}:{}: the front matter is not valid YAML ({}): the draft has no license or lineage",
            e.line, e.message
        )),
    }
}

struct Builder<'a> {
    fetched: &'a Fetched,
    lookup: Lookup<'a>,
    manifest: Manifest,
    warnings: Vec<String>,
}

impl Builder<'_> {
    fn apply(&mut self, card: &Card) {
        self.manifest.license = self.license(card);
        if let Some(model) = self.manifest.model.take() {
            self.manifest.model = Some(self.model(model, card));
        }
        if let Some(mut dataset) = self.manifest.dataset.take() {
            self.manifest.title = card.pretty_name.clone();
            dataset.languages = card.language.clone();
            for source in &card.source_datasets {
                let id = source.strip_prefix("extended|").unwrap_or(source);
                if id == "original" {
                    continue;
                }
                match (self.lookup)(Kind::Dataset, id) {
                    Some(digest) => dataset.upstream.push(Reference { id: id.to_owned(), digest: Some(digest) }),
                    None => self.warnings.push(format!(
                        "source dataset `{id}` has no manifest in this commons: record it, then add it to `dataset.upstream`"
                    )),
                }
            }
            self.manifest.dataset = Some(dataset);
        }
    }

    fn license(&mut self, card: &Card) -> Option<License> {
        if card.license.is_empty() {
            self.warnings
                .push("the card declares no `license`: add one before signing".into());
            return None;
        }
        let has_other = card.license.iter().any(|l| l.eq_ignore_ascii_case("other"));
        if let Some(name) = &card.license_name
            && !has_other
        {
            self.warnings.push(format!(
                "the card gives `license_name: {name}` but `license: {}`; a license name only applies with `license: other`",
                card.license.join(", ")
            ));
        }
        let mut ids = Vec::new();
        for declared in &card.license {
            match declared.to_ascii_lowercase().as_str() {
                "other" => match &card.license_name {
                    Some(name) => ids.push(card::license_ref(name)),
                    None => self.warnings.push(
                        "the card says `license: other` but gives no `license_name`: the draft has no license; \
                         name the license before signing"
                            .into(),
                    ),
                },
                "unknown" => self.warnings.push(
                    "the card says `license: unknown`: the draft has no license; find out the license before signing"
                        .into(),
                ),
                _ => ids.push(card::spdx_for(declared)),
            }
        }
        if ids.is_empty() {
            return None;
        }
        let expression = ids.join(" OR ");
        if ids.len() > 1 {
            self.warnings.push(format!(
                "the card lists several licenses; recorded as `{expression}`: check whether they are alternatives"
            ));
        }
        if let Err(e) = crate::license::expression::parse(&expression) {
            self.warnings.push(format!(
                "the card's license `{}` is not usable: {e}",
                card.license.join(", ")
            ));
            return None;
        }
        Some(License {
            expression,
            notices: Vec::new(),
            license_files: Vec::new(),
            display_attribution: None,
            declared: Some(card.license.join(", ")),
            obtained: Vec::new(),
        })
    }

    fn model(&mut self, mut model: ModelSection, card: &Card) -> ModelSection {
        for id in &card.datasets {
            match (self.lookup)(Kind::Dataset, id) {
                Some(digest) => model.trained_on.push(TrainingData {
                    id: id.clone(),
                    digest: Some(digest),
                    stage: None,
                }),
                None => model.unresolved.push(format!("trained_on: {id}")),
            }
        }
        let relation = self.relation(card);
        for id in &card.base_model {
            if id == &self.fetched.repo {
                self.warnings.push(format!(
                    "the card names `{id}` as its own base model; ignored"
                ));
                continue;
            }
            match (self.lookup)(Kind::Model, id) {
                Some(digest) => model.derived_from.push(Upstream {
                    id: id.clone(),
                    relation,
                    digest: Some(digest),
                }),
                None => model
                    .unresolved
                    .push(format!("derived_from: {id} ({relation})")),
            }
        }
        model
    }

    /// The card's `base_model_relation`, or what the Hub would infer.
    fn relation(&mut self, card: &Card) -> Relation {
        if card.base_model.is_empty() {
            if let Some(declared) = &card.base_model_relation {
                self.warnings.push(format!(
                    "the card says `base_model_relation: {declared}` but names no `base_model`: the lineage is unknown"
                ));
            }
            return Relation::FineTune;
        }
        if let Some(declared) = &card.base_model_relation {
            if let Some(relation) = Relation::parse(declared) {
                return relation;
            }
            self.warnings.push(format!(
                "`base_model_relation: {declared}` is not one of adapter, merge, quantized, finetune"
            ));
        }
        let has = |suffix: &str| self.fetched.files.iter().any(|f| f.path.ends_with(suffix));
        let inferred = if card.base_model.len() > 1 {
            Relation::Merge
        } else if has("adapter_config.json") {
            Relation::Adapter
        } else if has(".gguf") {
            Relation::Quantization
        } else {
            Relation::FineTune
        };
        self.warnings.push(format!(
            "the card does not say `base_model_relation`; taken as `{inferred}` from the files, as the Hub infers it"
        ));
        inferred
    }
}

fn format_of(fetched: &Fetched) -> Option<String> {
    ["gguf", "safetensors", "onnx", "bin"]
        .into_iter()
        .find(|ext| {
            fetched
                .files
                .iter()
                .any(|f| f.path.ends_with(&format!(".{ext}")))
        })
        .map(|ext| {
            if ext == "bin" {
                "pytorch".to_owned()
            } else {
                ext.to_owned()
            }
        })
}
