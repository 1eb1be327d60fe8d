//! The OSI Open Source AI Definition 1.0 checklist, from the same records.
//!
//! The definition asks for three things under OSI-approved (OSD-conformant)
//! terms: data information (enough detail about the training data for a
//! skilled person to build a substantially equivalent system: its
//! provenance, scope, how it was obtained and selected, and where to obtain
//! the public parts), the complete code used to process data, train, test
//! and run the model, and the parameters. Records can show what is
//! recorded and under which license; they cannot show that what is
//! recorded is complete, and each item says so.

use serde::Serialize;

use super::license_kind::{Material, Verdict, judge};
use crate::commons::Loaded;
use crate::manifest::{Component, ComponentKind};
use crate::records::RecordSet;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum OsaidItemKind {
    DataInformation,
    Code,
    Parameters,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum OsaidState {
    /// What the records can show is there, under open terms.
    Met,
    /// Something the definition asks for is missing or not open.
    NotMet,
}

#[derive(Debug, Clone, Serialize)]
pub struct OsaidItem {
    pub item: OsaidItemKind,
    pub state: OsaidState,
    /// What is missing or not open (empty when met).
    pub gaps: Vec<String>,
    /// What the records cannot establish either way.
    pub cannot_establish: Vec<&'static str>,
}

/// The three items of the checklist for `model`.
pub fn checklist(model: &Loaded, records: &RecordSet) -> Vec<OsaidItem> {
    vec![
        data_information(model, records),
        code(model),
        parameters(model),
    ]
}

fn item(kind: OsaidItemKind, gaps: Vec<String>, cannot: Vec<&'static str>) -> OsaidItem {
    OsaidItem {
        item: kind,
        state: if gaps.is_empty() {
            OsaidState::Met
        } else {
            OsaidState::NotMet
        },
        gaps,
        cannot_establish: cannot,
    }
}

fn data_information(model: &Loaded, records: &RecordSet) -> OsaidItem {
    let data = records.training_data(model);
    let mut gaps = Vec::new();
    if data.is_empty() {
        gaps.push("no training data is recorded (model.trained_on, here or upstream)".to_owned());
    }
    for (r, record) in data {
        let Some(d) = record else {
            gaps.push(format!("`{}` is not recorded in this commons", r.id));
            continue;
        };
        let m = &d.manifest;
        if m.source.is_none() {
            gaps.push(format!("`{}` records no source to obtain it from", r.id));
        }
        if m.dataset
            .as_ref()
            .and_then(|s| s.collection.as_ref())
            .is_none()
        {
            gaps.push(format!("`{}` records no collection method", r.id));
        }
        if m.license.is_none() {
            gaps.push(format!("`{}` records no license", r.id));
        }
    }
    item(
        OsaidItemKind::DataInformation,
        gaps,
        vec![
            "that the recorded datasets are all the data the model was trained on",
            "how the data was selected, labelled, filtered and processed beyond the recorded collection method",
        ],
    )
}

fn components(model: &Loaded) -> &[Component] {
    model
        .manifest
        .model
        .as_ref()
        .map_or(&[], |m| m.components.as_slice())
}

/// A gap for each kind not recorded, or recorded under terms that are not
/// OSI-approved for `material`.
fn open_components(model: &Loaded, kinds: &[ComponentKind], material: Material) -> Vec<String> {
    let mut gaps = Vec::new();
    for &kind in kinds {
        let recorded: Vec<&Component> = components(model)
            .iter()
            .filter(|c| c.component == kind)
            .collect();
        if recorded.is_empty() {
            gaps.push(format!("no {kind} is recorded"));
        }
        for c in recorded {
            match c.license.as_deref().map(|l| judge(l, material)) {
                None => gaps.push(format!("the {kind} at {} records no license", c.location)),
                Some(Verdict::Open) => {}
                Some(Verdict::WrongType(why) | Verdict::NotOpen(why)) => {
                    gaps.push(format!("the {kind} at {}: {why}", c.location))
                }
            }
        }
    }
    gaps
}

fn code(model: &Loaded) -> OsaidItem {
    let kinds = [
        ComponentKind::DataPreprocessingCode,
        ComponentKind::TrainingCode,
        ComponentKind::EvaluationCode,
        ComponentKind::InferenceCode,
        ComponentKind::ModelArchitecture,
    ];
    item(
        OsaidItemKind::Code,
        open_components(model, &kinds, Material::Code),
        vec![
            "that the recorded code is the complete code used to process the data and train the model",
            "the supporting libraries (tokenizers, hyperparameter search) it needs",
        ],
    )
}

fn parameters(model: &Loaded) -> OsaidItem {
    let mut gaps = open_components(model, &[ComponentKind::ModelParameters], Material::Code);
    let published = model.manifest.model.as_ref().and_then(|m| m.weights);
    if published.is_some_and(|w| w != crate::manifest::Weights::Published) {
        gaps.push("the weights are recorded as not published".to_owned());
    }
    item(
        OsaidItemKind::Parameters,
        gaps,
        vec!["that the published parameters are those the recorded training produced"],
    )
}
