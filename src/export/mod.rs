//! One signed record, every format: the records of a commons (all of them,
//! or one record's lineage) as a CycloneDX 1.6 ML-BOM ([`cyclonedx`]), an
//! SPDX 3.0.1 document with the AI and Dataset profiles ([`spdx`]), a
//! Hugging Face model card ([`card`]), or evaluation results as
//! lm-evaluation-harness writes them ([`lm_eval`]).
//!
//! Every exporter reads the same [`Export`]: the records chosen, the
//! commons' index of all records (to find evaluations and upstreams), the
//! signatures found beside each record, and the creation time (taken from
//! `SOURCE_DATE_EPOCH` by the command, so an export can be reproduced).
//! Exporters return the document; they neither print nor write.

pub mod card;
pub mod cyclonedx;
pub mod lm_eval;
pub mod spdx;

use std::collections::HashMap;

use crate::commons::Loaded;
use crate::manifest::Kind;
use crate::openness::Openness;
use crate::records::RecordSet;

/// The formats a commons exports to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    CycloneDx,
    Spdx,
    HfCard,
    LmEval,
}

/// A member's signature file beside a manifest.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct SignatureRef {
    pub member: String,
    /// Path relative to the commons root.
    pub path: String,
    /// Whether it verified against the member's trusted key.
    pub valid: bool,
}

/// What an export reads.
pub struct Export<'a> {
    /// The commons' name (from `commons.yaml`).
    pub commons: String,
    pub records: &'a RecordSet<'a>,
    /// The records exported: one lineage (subject first) or every record.
    pub selection: Vec<&'a Loaded>,
    /// The record a lineage export is about.
    pub subject: Option<&'a Loaded>,
    /// Signatures of each record, by id.
    pub signatures: HashMap<String, Vec<SignatureRef>>,
    /// RFC 3339 creation time, e.g. `2026-11-22T00:00:00Z`.
    pub created: String,
    /// `commons <version>`.
    pub tool: String,
    /// The licenses the commons knows (what their notices ask).
    pub catalog: crate::license::catalog::Catalog,
}

/// Why a record cannot be exported in a format.
#[derive(Debug, thiserror::Error)]
pub enum ExportError {
    #[error(
        "`{id}` is a {kind} record: a model card describes a model; export a model id, or use --format cyclonedx or spdx"
    )]
    NotAModel { id: String, kind: Kind },
    #[error(
        "a model card describes one model: give a model id (`commons export --format hf-card MODEL`)"
    )]
    CardNeedsOneModel,
    #[error(
        "lm-evaluation-harness results are one model's: give an eval id or a model id (`commons export --format lm-eval ID`)"
    )]
    LmEvalNeedsSubject,
    #[error(
        "`{id}` is a {kind} record: lm-evaluation-harness results export an eval record, or a model's eval records"
    )]
    NotEvalOrModel { id: String, kind: Kind },
    #[error(
        "`{id}` is a result of `{task}`, a task lm-evaluation-harness does not have (it has {tasks}): export it with --format cyclonedx or spdx",
        tasks = lm_eval::HARNESS_TASKS
    )]
    NoHarnessTask { id: String, task: String },
    #[error(
        "`{model}` has no recorded result of a task lm-evaluation-harness has ({tasks}){left_out}",
        tasks = lm_eval::HARNESS_TASKS
    )]
    NoHarnessResults { model: String, left_out: String },
    #[error(
        "`{id}` does not record `eval.{field}`, so how much of its data it scored is unknown: evaluate again to export it"
    )]
    UnknownCoverage { id: String, field: &'static str },
}

impl<'a> Export<'a> {
    /// A lineage export: `subject` and every record upstream of it, with
    /// the evaluations of the models reached.
    pub fn lineage(records: &'a RecordSet<'a>, subject: &'a Loaded) -> Export<'a> {
        Export {
            commons: String::new(),
            records,
            selection: records.lineage(subject, true),
            subject: Some(subject),
            signatures: HashMap::new(),
            created: String::new(),
            tool: String::new(),
            catalog: crate::license::catalog::Catalog::built_in(),
        }
    }

    /// An export of every record of the commons.
    pub fn everything(records: &'a RecordSet<'a>) -> Export<'a> {
        Export {
            commons: String::new(),
            records,
            selection: records.all.iter().collect(),
            subject: None,
            signatures: HashMap::new(),
            created: String::new(),
            tool: String::new(),
            catalog: crate::license::catalog::Catalog::built_in(),
        }
    }

    /// The openness of a model, for the models the export assesses: the
    /// subject of a lineage export, every model of a whole-commons export.
    pub fn openness(&self, model: &Loaded) -> Option<Openness> {
        let assessed = match self.subject {
            Some(s) => std::ptr::eq(s, model),
            None => true,
        };
        (assessed && model.manifest.kind == Kind::Model)
            .then(|| crate::openness::assess(model, self.records))
    }

    pub fn signatures_of(&self, id: &str) -> &[SignatureRef] {
        self.signatures.get(id).map_or(&[], Vec::as_slice)
    }

    /// Renders the export in `format`.
    pub fn render(&self, format: Format) -> Result<String, ExportError> {
        Ok(match format {
            Format::CycloneDx => json(&cyclonedx::document(self)),
            Format::Spdx => json(&spdx::document(self)),
            Format::HfCard => card::document(self)?,
            Format::LmEval => json(&lm_eval::document(self, &lm_eval::select(self)?)),
        })
    }
}

fn json(value: &serde_json::Value) -> String {
    let mut s = serde_json::to_string_pretty(value).expect("JSON values always serialise");
    s.push('\n');
    s
}

/// A one-line summary of a model's MOF class, for documents.
pub fn mof_summary(o: &Openness) -> String {
    let class = o.mof.class.map_or("below Class III", |c| c.name());
    match &o.mof.next {
        None => format!("Model Openness Framework: {class}"),
        Some(next) => format!(
            "Model Openness Framework: {class}; for {}: {}",
            next.class.name(),
            next.missing
                .iter()
                .map(|c| c.component.as_str())
                .collect::<Vec<_>>()
                .join(", ")
        ),
    }
}
