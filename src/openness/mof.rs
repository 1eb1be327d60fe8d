//! The Model Openness Framework class of a model, computed from its
//! signed record and the records of its lineage.
//!
//! The MOF (LF AI & Data) has three cumulative classes: III Open Model
//! (architecture, final parameters, model card, data card, technical report,
//! evaluation results), II Open Tooling (adds training, inference and
//! evaluation code, and evaluation data), I Open Science (adds the training
//! datasets, data preprocessing code, intermediate checkpoints and a
//! research paper). A component counts when it is recorded AND under an
//! open license suited to its type ([`super::license_kind`]). The training
//! datasets need no component of their own when the lineage's `trained_on`
//! records name them: then each of those dataset records must carry an open
//! data license.

use serde::Serialize;

use super::license_kind::{Material, Verdict, judge};
use crate::commons::Loaded;
use crate::manifest::ComponentKind;
use crate::records::RecordSet;

/// A MOF class; `I` is the most open.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub enum MofClass {
    #[serde(rename = "I")]
    OpenScience,
    #[serde(rename = "II")]
    OpenTooling,
    #[serde(rename = "III")]
    OpenModel,
}

impl MofClass {
    pub fn name(self) -> &'static str {
        match self {
            MofClass::OpenScience => "Class I (Open Science)",
            MofClass::OpenTooling => "Class II (Open Tooling)",
            MofClass::OpenModel => "Class III (Open Model)",
        }
    }

    /// The next class up from this one, if any.
    fn above(self) -> Option<MofClass> {
        match self {
            MofClass::OpenModel => Some(MofClass::OpenTooling),
            MofClass::OpenTooling => Some(MofClass::OpenScience),
            MofClass::OpenScience => None,
        }
    }
}

/// The class that first asks for a component, and what the component is.
pub fn facts(kind: ComponentKind) -> (MofClass, Material) {
    use ComponentKind as C;
    match kind {
        C::ModelArchitecture => (MofClass::OpenModel, Material::Code),
        C::ModelParameters => (MofClass::OpenModel, Material::Parameters),
        C::ModelCard | C::DataCard | C::TechnicalReport | C::EvaluationResults => {
            (MofClass::OpenModel, Material::Documentation)
        }
        C::TrainingCode | C::InferenceCode | C::EvaluationCode => {
            (MofClass::OpenTooling, Material::Code)
        }
        C::EvaluationData => (MofClass::OpenTooling, Material::Data),
        C::Datasets => (MofClass::OpenScience, Material::Data),
        C::DataPreprocessingCode => (MofClass::OpenScience, Material::Code),
        C::IntermediateParameters => (MofClass::OpenScience, Material::Parameters),
        C::ResearchPaper => (MofClass::OpenScience, Material::Documentation),
    }
}

/// How one component stands.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case", tag = "state", content = "why")]
pub enum ComponentState {
    /// Recorded under an open license suited to it.
    Open,
    /// Not recorded.
    Missing,
    /// Recorded without a license.
    NoLicense,
    /// Recorded under a license open for another type of artifact.
    WrongType(String),
    /// Recorded under a license that is not open.
    NotOpen(String),
}

#[derive(Debug, Clone, Serialize)]
pub struct ComponentStatus {
    pub component: ComponentKind,
    /// The class that first asks for it.
    pub class: MofClass,
    pub material: Material,
    #[serde(flatten)]
    pub state: ComponentState,
    /// Where it is (a URL, a file, or the records that stand for it).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub locations: Vec<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub license: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct MofAssessment {
    /// The highest class whose every component is open; none when even
    /// Class III is not met.
    pub class: Option<MofClass>,
    pub components: Vec<ComponentStatus>,
    /// The next class up, and exactly the components that keep the model
    /// from it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub next: Option<NextClass>,
}

#[derive(Debug, Clone, Serialize)]
pub struct NextClass {
    pub class: MofClass,
    pub missing: Vec<ComponentStatus>,
}

/// Assesses `model` (a model record) among `records`.
pub fn assess(model: &Loaded, records: &RecordSet) -> MofAssessment {
    let components: Vec<ComponentStatus> = ComponentKind::ALL
        .into_iter()
        .map(|kind| status(kind, model, records))
        .collect();
    let met = |class: MofClass| {
        components
            .iter()
            .filter(|c| c.class >= class)
            .all(|c| c.state == ComponentState::Open)
    };
    let class = [
        MofClass::OpenScience,
        MofClass::OpenTooling,
        MofClass::OpenModel,
    ]
    .into_iter()
    .find(|&c| met(c));
    let next_class = match class {
        None => Some(MofClass::OpenModel),
        Some(c) => c.above(),
    };
    let next = next_class.map(|target| NextClass {
        class: target,
        missing: components
            .iter()
            .filter(|c| c.class >= target && c.state != ComponentState::Open)
            .cloned()
            .collect(),
    });
    MofAssessment {
        class,
        components,
        next,
    }
}

fn status(kind: ComponentKind, model: &Loaded, records: &RecordSet) -> ComponentStatus {
    let (class, material) = facts(kind);
    let recorded = model
        .manifest
        .model
        .iter()
        .flat_map(|m| &m.components)
        .filter(|c| c.component == kind)
        .collect::<Vec<_>>();
    let mut out = ComponentStatus {
        component: kind,
        class,
        material,
        state: ComponentState::Missing,
        locations: recorded.iter().map(|c| c.location.clone()).collect(),
        license: None,
    };
    if recorded.is_empty() {
        if kind == ComponentKind::Datasets {
            training_data(&mut out, model, records);
        }
        return out;
    }
    // Every recorded part of a component must be open (code in two
    // repositories, say): the first that is not decides.
    out.state = ComponentState::Open;
    for c in recorded {
        let state = match &c.license {
            None => ComponentState::NoLicense,
            Some(expr) => verdict_state(judge(expr, material)),
        };
        out.license = c.license.clone();
        if state != ComponentState::Open {
            out.state = state;
            break;
        }
    }
    out
}

fn verdict_state(v: Verdict) -> ComponentState {
    match v {
        Verdict::Open => ComponentState::Open,
        Verdict::WrongType(why) => ComponentState::WrongType(why),
        Verdict::NotOpen(why) => ComponentState::NotOpen(why),
    }
}

/// The datasets component from the lineage's `trained_on` records.
fn training_data(out: &mut ComponentStatus, model: &Loaded, records: &RecordSet) {
    let data = records.training_data(model);
    if data.is_empty() {
        return;
    }
    out.state = ComponentState::Open;
    for (r, record) in data {
        out.locations.push(r.id.to_owned());
        let state = match record.map(|l| l.manifest.license.as_ref()) {
            None => ComponentState::NotOpen(format!("`{}` is not recorded in this commons", r.id)),
            Some(None) => ComponentState::NotOpen(format!("`{}` records no license", r.id)),
            Some(Some(l)) => match judge(&l.expression, Material::Data) {
                Verdict::Open => ComponentState::Open,
                Verdict::WrongType(why) => ComponentState::WrongType(format!("{}: {why}", r.id)),
                Verdict::NotOpen(why) => ComponentState::NotOpen(format!("{}: {why}", r.id)),
            },
        };
        if out.state == ComponentState::Open && state != ComponentState::Open {
            out.state = state;
        }
    }
}
