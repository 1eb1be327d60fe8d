//! SPDX 3.0.1 (JSON-LD) with the AI and Dataset profiles.
//!
//! Models are `ai_AIPackage` elements (metrics from the commons' evaluation
//! records, the openness class as an annotation), datasets
//! `dataset_DatasetPackage` elements (collection process, personal
//! information, languages as intended use); every file is a `software_File`
//! with its sha256, contained by its package. Relationships carry the
//! lineage: `trainedOn` (model to its training data), `testedOn` (model to
//! the data an evaluation record tested it on), `descendantOf` (a model to
//! its base model, a dataset to its upstream), `generates` (a model to
//! the synthetic data it made), `hasDeclaredLicense` (to a license
//! expression). Element ids are IRIs under `urn:commons:`, made of each
//! record's kind and id; the manifest digest every reference is pinned by
//! sits in each package's `verifiedUsing`.

use std::collections::BTreeSet;

use serde_json::{Value, json};

use super::{Export, mof_summary};
use crate::commons::Loaded;
use crate::manifest::{Kind, RefKind};

const CREATION: &str = "_:creation";

/// The SPDX document of an export.
pub fn document(x: &Export) -> Value {
    let mut doc = Doc::new(x);
    for l in &x.selection {
        match l.manifest.kind {
            Kind::Model | Kind::Dataset => doc.package(x, l),
            Kind::Eval => doc.evaluation(x, l),
        }
    }
    doc.finish(x)
}

struct Doc {
    graph: Vec<Value>,
    elements: Vec<String>,
    licenses: BTreeSet<String>,
    relationships: usize,
    tool: String,
    steward: String,
}

/// The element id of a record.
fn element_id(kind: Kind, id: &str) -> String {
    format!("urn:commons:{kind}:{id}")
}

impl Doc {
    fn new(x: &Export) -> Doc {
        let tool = format!("urn:commons:tool:{}", x.tool.replace(' ', "-"));
        let steward = format!("urn:commons:organization:{}", x.commons.replace(' ', "-"));
        Doc {
            graph: vec![
                json!({
                    "type": "CreationInfo",
                    "@id": CREATION,
                    "specVersion": "3.0.1",
                    "created": x.created,
                    "createdBy": [steward],
                    "createdUsing": [tool],
                }),
                json!({
                    "type": "Organization",
                    "spdxId": steward,
                    "name": x.commons,
                    "creationInfo": CREATION,
                }),
                json!({
                    "type": "Tool",
                    "spdxId": tool,
                    "name": x.tool,
                    "creationInfo": CREATION,
                }),
            ],
            elements: Vec::new(),
            licenses: BTreeSet::new(),
            relationships: 0,
            tool,
            steward,
        }
    }

    fn push(&mut self, element: Value) {
        if let Some(id) = element["spdxId"].as_str() {
            self.elements.push(id.to_owned());
        }
        self.graph.push(element);
    }

    fn relate(&mut self, from: &str, kind: &str, to: Vec<String>, comment: Option<String>) {
        if to.is_empty() {
            return;
        }
        self.relationships += 1;
        let mut r = json!({
            "type": "Relationship",
            "spdxId": format!("{from}#relationship-{}", self.relationships),
            "creationInfo": CREATION,
            "from": from,
            "relationshipType": kind,
            "to": to,
        });
        if let Some(c) = comment {
            r["comment"] = c.into();
        }
        self.push(r);
    }

    fn license(&mut self, from: &str, expression: &str) {
        let id = format!("urn:commons:license:{expression}").replace(' ', "_");
        if self.licenses.insert(id.clone()) {
            self.push(json!({
                "type": "simplelicensing_LicenseExpression",
                "spdxId": id,
                "creationInfo": CREATION,
                "simplelicensing_licenseExpression": expression,
            }));
        }
        self.relate(from, "hasDeclaredLicense", vec![id], None);
    }

    fn package(&mut self, x: &Export, l: &Loaded) {
        let m = &l.manifest;
        let id = element_id(m.kind, &m.id);
        let mut p = json!({
            "spdxId": id,
            "creationInfo": CREATION,
            "name": m.id,
            "verifiedUsing": [{
                "type": "Hash",
                "algorithm": "sha256",
                "hashValue": l.digest.as_str(),
                "comment": format!("sha256 of the signed manifest {}", l.rel),
            }],
        });
        if let Some(t) = m.description.as_ref().or(m.title.as_ref()) {
            p["description"] = t.clone().into();
        }
        if let Some(loc) = download_location(m) {
            p["software_downloadLocation"] = loc.into();
        }
        if let Some(hub) = m.source.as_ref().and_then(|s| s.hub.as_ref()) {
            p["software_packageVersion"] = hub.revision.clone().into();
        }
        let signers: Vec<String> = x
            .signatures_of(&m.id)
            .iter()
            .map(|s| format!("{} ({})", s.member, s.path))
            .collect();
        if !signers.is_empty() {
            p["comment"] = format!("signed by {}", signers.join(", ")).into();
        }
        match m.kind {
            Kind::Model => model(&mut p, x, l),
            _ => dataset(&mut p, l),
        }
        self.push(p);
        if let Some(lic) = &m.license {
            self.license(&id, &lic.expression);
        }
        self.files(l, &id);
        for r in m.references() {
            let to = |kind| vec![element_id(kind, r.id)];
            let pin = r.digest.map(|d| format!("pinned to manifest sha256 {d}"));
            match r.kind {
                RefKind::BaseModel(rel) => self.relate(
                    &id,
                    "descendantOf",
                    to(Kind::Model),
                    Some(format!("{rel}; {}", pin.unwrap_or_default())),
                ),
                RefKind::TrainedOn(_) => self.relate(&id, "trainedOn", to(Kind::Dataset), pin),
                RefKind::UpstreamData => self.relate(&id, "descendantOf", to(Kind::Dataset), pin),
                RefKind::GeneratedBy => self.relate(
                    &element_id(Kind::Model, r.id),
                    "generates",
                    vec![id.clone()],
                    pin,
                ),
                RefKind::Evaluates | RefKind::TestedOn => {}
            }
        }
        if let Some(o) = x.openness(l) {
            self.push(json!({
                "type": "Annotation",
                "spdxId": format!("{id}#openness"),
                "creationInfo": CREATION,
                "annotationType": "review",
                "subject": id,
                "statement": mof_summary(&o),
            }));
        }
    }

    fn files(&mut self, l: &Loaded, package: &str) {
        let ids: Vec<String> = l
            .manifest
            .files
            .iter()
            .map(|f| {
                let fid = format!("{package}#{}", f.path);
                self.push(json!({
                    "type": "software_File",
                    "spdxId": fid,
                    "creationInfo": CREATION,
                    "name": f.path,
                    "verifiedUsing": [{"type": "Hash", "algorithm": "sha256", "hashValue": f.sha256.as_str()}],
                }));
                fid
            })
            .collect();
        self.relate(package, "contains", ids, None);
    }

    /// An evaluation: the data it tested the model on.
    fn evaluation(&mut self, x: &Export, l: &Loaded) {
        let Some(ev) = &l.manifest.eval else { return };
        if x.records.get(&ev.model.id).is_none() {
            return;
        }
        let model = element_id(Kind::Model, &ev.model.id);
        let comment = Some(format!(
            "{} {} (evaluation record {}, sha256 {})",
            ev.task,
            ev.metrics
                .iter()
                .map(|(k, v)| format!("{k}={}", v.value))
                .collect::<Vec<_>>()
                .join(" "),
            l.manifest.id,
            l.digest
        ));
        match &ev.dataset {
            Some(d) if x.records.get(&d.id).is_some() => self.relate(
                &model,
                "testedOn",
                vec![element_id(Kind::Dataset, &d.id)],
                comment,
            ),
            _ => {
                let data = format!("{}#data", element_id(Kind::Eval, &l.manifest.id));
                let mut p = json!({
                    "type": "dataset_DatasetPackage",
                    "spdxId": data,
                    "creationInfo": CREATION,
                    "name": format!("{} evaluation data", ev.task),
                    "software_primaryPurpose": "data",
                    "dataset_datasetType": ["noAssertion"],
                });
                if let Some(sha) = &ev.data_sha256 {
                    p["verifiedUsing"] =
                        json!([{"type": "Hash", "algorithm": "sha256", "hashValue": sha.as_str()}]);
                }
                self.push(p);
                self.relate(&model, "testedOn", vec![data], comment);
            }
        }
    }

    fn finish(mut self, x: &Export) -> Value {
        let roots: Vec<String> = match x.subject {
            Some(s) => vec![element_id(s.manifest.kind, &s.manifest.id)],
            None => x
                .selection
                .iter()
                .filter(|l| l.manifest.kind != Kind::Eval)
                .map(|l| element_id(l.manifest.kind, &l.manifest.id))
                .collect(),
        };
        let mut elements = std::mem::take(&mut self.elements);
        elements.push(self.tool.clone());
        elements.push(self.steward.clone());
        self.graph.push(json!({
            "type": "SpdxDocument",
            "spdxId": format!("urn:commons:document:{}", x.commons.replace(' ', "-")),
            "creationInfo": CREATION,
            "name": match x.subject {
                Some(s) => format!("{} lineage in {}", s.manifest.id, x.commons),
                None => format!("{} commons", x.commons),
            },
            "profileConformance": ["core", "software", "simpleLicensing", "ai", "dataset"],
            "rootElement": roots,
            "element": elements,
        }));
        json!({
            "@context": "https://spdx.org/rdf/3.0.1/spdx-context.jsonld",
            "@graph": self.graph,
        })
    }
}

fn download_location(m: &crate::manifest::Manifest) -> Option<String> {
    let s = m.source.as_ref()?;
    if let Some(h) = &s.hub {
        let folder = if h.repo_type == "dataset" {
            "datasets/"
        } else {
            ""
        };
        return Some(format!(
            "{}/{folder}{}/tree/{}",
            h.endpoint.trim_end_matches('/'),
            h.repo,
            h.revision
        ));
    }
    s.url
        .clone()
        .or_else(|| s.git.as_ref().map(|g| format!("{}@{}", g.repo, g.commit)))
}

fn model(p: &mut Value, x: &Export, l: &Loaded) {
    let m = &l.manifest;
    p["type"] = "ai_AIPackage".into();
    p["software_primaryPurpose"] = "model".into();
    let section = m.model.clone().unwrap_or_default();
    if let Some(a) = &section.architecture {
        p["ai_typeOfModel"] = json!([a]);
    }
    if !section.use_restrictions.is_empty() {
        p["ai_limitation"] = section.use_restrictions.join("; ").into();
    }
    let metrics: Vec<Value> = x
        .records
        .evals_of(&m.id)
        .filter_map(|e| e.manifest.eval.as_ref())
        .flat_map(|ev| {
            ev.metrics.iter().map(move |(k, v)| {
                json!({"type": "DictionaryEntry", "key": format!("{}/{k}", ev.task), "value": v.value.to_string()})
            })
        })
        .collect();
    if !metrics.is_empty() {
        p["ai_metric"] = metrics.into();
    }
}

fn dataset(p: &mut Value, l: &Loaded) {
    let ds = l.manifest.dataset.clone().unwrap_or_default();
    p["type"] = "dataset_DatasetPackage".into();
    p["software_primaryPurpose"] = "data".into();
    // The records do not say what the data is made of.
    p["dataset_datasetType"] = json!(["noAssertion"]);
    if let Some(c) = &ds.collection {
        p["dataset_dataCollectionProcess"] = c.clone().into();
    }
    if let Some(pd) = &ds.personal_data {
        let none = matches!(pd.trim().to_ascii_lowercase().as_str(), "no" | "none");
        p["dataset_hasSensitivePersonalInformation"] = if none { "no" } else { "yes" }.into();
    }
    if !l.manifest.files.is_empty() {
        let bytes: u64 = l.manifest.files.iter().map(|f| f.size).sum();
        p["dataset_datasetSize"] = bytes.into();
    }
    if !ds.languages.is_empty() {
        p["dataset_intendedUse"] = format!("languages: {}", ds.languages.join(", ")).into();
    }
}
