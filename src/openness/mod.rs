//! How open a model is, computed from signed records: its Model Openness
//! Framework class ([`mof`]) and the OSI Open Source AI Definition checklist
//! ([`osaid`]), both from the components a model manifest records
//! (`model.components`) and the records of its lineage.

pub mod license_kind;
pub mod mof;
pub mod osaid;

use serde::Serialize;

use crate::commons::Loaded;
use crate::records::RecordSet;

/// The openness of one model.
#[derive(Debug, Clone, Serialize)]
pub struct Openness {
    pub id: String,
    pub mof: mof::MofAssessment,
    pub osaid: Vec<osaid::OsaidItem>,
}

/// Assesses one model record.
pub fn assess(model: &Loaded, records: &RecordSet) -> Openness {
    Openness {
        id: model.manifest.id.clone(),
        mof: mof::assess(model, records),
        osaid: osaid::checklist(model, records),
    }
}
