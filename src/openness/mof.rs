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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::manifest::{Component, Kind, License, Manifest, TrainingData};

    fn loaded(m: Manifest) -> Loaded {
        Loaded::in_memory(m)
    }

    fn license(m: &mut Manifest, expr: &str) {
        m.license = Some(License {
            expression: expr.into(),
            notices: vec![],
            license_files: vec![],
            display_attribution: None,
            declared: None,
            obtained: vec![],
        });
    }

    /// A model with every component recorded under a license suited to
    /// it, trained on one CC-BY-4.0 dataset; `change` alters it first.
    fn scenario(change: impl FnOnce(&mut Manifest, &mut Manifest)) -> MofAssessment {
        let mut data = Manifest::new(Kind::Dataset, "org/data");
        license(&mut data, "CC-BY-4.0");
        let mut model = Manifest::new(Kind::Model, "org/model");
        license(&mut model, "Apache-2.0");
        let section = model.model.as_mut().unwrap();
        section.trained_on.push(TrainingData {
            id: "org/data".into(),
            digest: None,
            stage: None,
        });
        for kind in ComponentKind::ALL {
            if kind == ComponentKind::Datasets {
                continue; // from trained_on
            }
            let license = match facts(kind).1 {
                Material::Code => "MIT",
                Material::Parameters => "Apache-2.0",
                Material::Data => "CDLA-Permissive-2.0",
                Material::Documentation => "CC-BY-4.0",
            };
            section.components.push(Component {
                component: kind,
                location: format!("https://example.org/{kind}"),
                sha256: None,
                license: Some(license.into()),
            });
        }
        change(&mut model, &mut data);
        let all = vec![loaded(model), loaded(data)];
        let records = RecordSet::new(&all);
        assess(&all[0], &records)
    }

    fn set_license(m: &mut Manifest, kind: ComponentKind, license: Option<&str>) {
        let c = m.model.as_mut().unwrap().components.iter_mut();
        for c in c.filter(|c| c.component == kind) {
            c.license = license.map(str::to_owned);
        }
    }

    #[test]
    fn every_component_open_is_class_one() {
        let a = scenario(|_, _| {});
        assert_eq!(a.class, Some(MofClass::OpenScience));
        assert!(a.next.is_none());
    }

    #[test]
    fn each_missing_component_caps_the_class_below_its_own() {
        for kind in ComponentKind::ALL {
            let a = scenario(|m, d| {
                if kind == ComponentKind::Datasets {
                    m.model.as_mut().unwrap().trained_on.clear();
                    let _ = d;
                } else {
                    m.model
                        .as_mut()
                        .unwrap()
                        .components
                        .retain(|c| c.component != kind);
                }
            });
            let (class, _) = facts(kind);
            let expected = match class {
                MofClass::OpenModel => None,
                MofClass::OpenTooling => Some(MofClass::OpenModel),
                MofClass::OpenScience => Some(MofClass::OpenTooling),
            };
            assert_eq!(a.class, expected, "{kind} missing");
            let next = a.next.expect("a class above is missed");
            assert_eq!(next.class, class, "{kind} missing");
            let missing: Vec<_> = next.missing.iter().map(|c| c.component).collect();
            assert_eq!(missing, [kind], "exactly {kind} is missing");
            assert_eq!(next.missing[0].state, ComponentState::Missing);
        }
    }

    #[test]
    fn a_license_that_is_not_open_does_not_count() {
        let a = scenario(|m, _| {
            set_license(
                m,
                ComponentKind::ModelParameters,
                Some("LicenseRef-llama3.1"),
            )
        });
        assert_eq!(a.class, None);
        let next = a.next.unwrap();
        assert!(matches!(next.missing[0].state, ComponentState::NotOpen(_)));
        let a = scenario(|m, _| set_license(m, ComponentKind::TrainingCode, None));
        assert_eq!(a.class, Some(MofClass::OpenModel));
        assert_eq!(a.next.unwrap().missing[0].state, ComponentState::NoLicense);
        let a = scenario(|_, d| license(d, "CC-BY-NC-4.0"));
        assert_eq!(a.class, Some(MofClass::OpenTooling));
        let next = a.next.unwrap();
        assert_eq!(next.missing[0].component, ComponentKind::Datasets);
        assert!(
            matches!(&next.missing[0].state, ComponentState::NotOpen(w) if w.contains("org/data"))
        );
    }

    #[test]
    fn a_license_of_the_wrong_type_does_not_count() {
        // An open content license on code.
        let a = scenario(|m, _| set_license(m, ComponentKind::InferenceCode, Some("CC-BY-4.0")));
        assert_eq!(a.class, Some(MofClass::OpenModel));
        let next = a.next.unwrap();
        assert!(
            matches!(&next.missing[0].state, ComponentState::WrongType(w) if w.contains("OSI"))
        );
        // A copyleft software license on data.
        let a =
            scenario(|m, _| set_license(m, ComponentKind::EvaluationData, Some("GPL-3.0-only")));
        assert_eq!(a.class, Some(MofClass::OpenModel));
        assert!(matches!(
            a.next.unwrap().missing[0].state,
            ComponentState::WrongType(_)
        ));
        // An open-source license on the architecture: right type.
        let a =
            scenario(|m, _| set_license(m, ComponentKind::ModelArchitecture, Some("BSD-3-Clause")));
        assert_eq!(a.class, Some(MofClass::OpenScience));
    }

    #[test]
    fn training_data_of_a_base_model_counts_for_its_quantization() {
        let mut base = Manifest::new(Kind::Model, "org/base");
        base.model.as_mut().unwrap().trained_on.push(TrainingData {
            id: "org/data".into(),
            digest: None,
            stage: None,
        });
        let mut q = Manifest::new(Kind::Model, "org/q");
        q.model
            .as_mut()
            .unwrap()
            .derived_from
            .push(crate::manifest::Upstream {
                id: "org/base".into(),
                relation: crate::manifest::Relation::Quantization,
                digest: None,
            });
        let mut data = Manifest::new(Kind::Dataset, "org/data");
        license(&mut data, "ODbL-1.0");
        let all = vec![loaded(q), loaded(base), loaded(data)];
        let records = RecordSet::new(&all);
        let a = assess(&all[0], &records);
        let datasets = a
            .components
            .iter()
            .find(|c| c.component == ComponentKind::Datasets)
            .unwrap();
        assert_eq!(datasets.state, ComponentState::Open);
        assert_eq!(datasets.locations, ["org/data"]);
    }
}
