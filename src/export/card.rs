//! A Hugging Face model card: `README.md` with YAML front matter.
//!
//! The front matter holds what the Hub reads: `license` (the Hub's id for
//! it, or `other` with `license_name`/`license_link` for a `LicenseRef-`),
//! `base_model` and `base_model_relation` (the Hub knows `adapter`, `merge`,
//! `quantized` and `finetune`; distillation and continued pre-training are
//! written as `finetune` and named in the text), `datasets` (the training
//! data), `language` (the languages of the training data, as its records
//! state them) and `model-index` (the results of the commons' evaluation
//! records). The text below it carries the lineage with its pinned digests,
//! the openness class, and the notices and attributions the lineage's
//! licenses ask every copy to carry. `fetch` reads such a card back into
//! the same fields (see `hub::card`).

use std::collections::BTreeSet;
use std::fmt::Write as _;

use serde_yaml::{Mapping, Value};

use super::{Export, ExportError, mof_summary};
use crate::commons::Loaded;
use crate::license::catalog::Catalog;
use crate::manifest::{Kind, Relation};

/// The card fields the front matter holds, as the Hub spells them.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct FrontMatter {
    pub license: Option<String>,
    pub license_name: Option<String>,
    pub license_link: Option<String>,
    pub base_model: Vec<String>,
    pub base_model_relation: Option<String>,
    pub datasets: Vec<String>,
    pub language: Vec<String>,
}

/// The card of the subject model of a lineage export.
pub fn document(x: &Export) -> Result<String, ExportError> {
    let model = x.subject.ok_or(ExportError::CardNeedsOneModel)?;
    if model.manifest.kind != Kind::Model {
        return Err(ExportError::NotAModel {
            id: model.manifest.id.clone(),
            kind: model.manifest.kind,
        });
    }
    let fm = front_matter(x, model);
    let mut yaml = Mapping::new();
    let mut put = |k: &str, v: Value| {
        yaml.insert(Value::String(k.into()), v);
    };
    let text = |s: &String| Value::String(s.clone());
    let list = |v: &[String]| Value::Sequence(v.iter().map(|s| Value::String(s.clone())).collect());
    if let Some(l) = &fm.license {
        put("license", text(l));
    }
    if let Some(l) = &fm.license_name {
        put("license_name", text(l));
    }
    if let Some(l) = &fm.license_link {
        put("license_link", text(l));
    }
    if !fm.base_model.is_empty() {
        put("base_model", list(&fm.base_model));
    }
    if let Some(r) = &fm.base_model_relation {
        put("base_model_relation", text(r));
    }
    if !fm.datasets.is_empty() {
        put("datasets", list(&fm.datasets));
    }
    if !fm.language.is_empty() {
        put("language", list(&fm.language));
    }
    let index = model_index(x, model);
    if !index.is_empty() {
        put(
            "model-index",
            Value::Sequence(vec![
                serde_yaml::to_value(serde_json::json!({
                    "name": model.manifest.id,
                    "results": index,
                }))
                .expect("JSON values convert to YAML"),
            ]),
        );
    }
    let mut out = String::from("---\n");
    out.push_str(&serde_yaml::to_string(&yaml).expect("YAML values always serialise"));
    out.push_str("---\n\n");
    out.push_str(&body(x, model));
    Ok(out)
}

/// The Hub's spelling of a license expression: its id, or `other` with a
/// name and a link.
fn hub_license(expression: &str, catalog: &Catalog, license_files: &[String]) -> FrontMatter {
    let mut fm = FrontMatter::default();
    let single = crate::license::expression::Choices::parse(expression)
        .ok()
        .and_then(|c| match c.options.as_slice() {
            [one] if one.len() == 1 => Some(one[0].clone()),
            _ => None,
        });
    let terms = single.as_deref().and_then(|id| catalog.get(id));
    if let Some(t) = terms {
        if let Some(hub) = t.hub.first() {
            fm.license = Some(hub.clone());
            return fm;
        }
        if let Some(name) = t.hub_names.first() {
            fm.license = Some("other".into());
            fm.license_name = Some(name.clone());
            fm.license_link = license_files.first().cloned().or_else(|| t.url.clone());
            return fm;
        }
    }
    match single {
        Some(id) if !id.starts_with("LicenseRef-") => {
            fm.license = Some(id.to_ascii_lowercase());
        }
        Some(id) => {
            fm.license = Some("other".into());
            fm.license_name = Some(id.trim_start_matches("LicenseRef-").to_owned());
            fm.license_link = license_files.first().cloned();
        }
        None => {
            // An expression of several licenses: the Hub has one field.
            fm.license = Some("other".into());
            fm.license_name = Some(expression.to_owned());
            fm.license_link = license_files.first().cloned();
        }
    }
    fm
}

/// The Hub's `base_model_relation` for a relation.
pub fn hub_relation(r: Relation) -> &'static str {
    match r {
        Relation::Adapter => "adapter",
        Relation::Merge => "merge",
        Relation::Quantization => "quantized",
        Relation::FineTune | Relation::Distillation | Relation::ContinuedPretraining => "finetune",
    }
}

/// The front matter of `model`'s card.
pub fn front_matter(x: &Export, model: &Loaded) -> FrontMatter {
    let m = &model.manifest;
    let section = m.model.clone().unwrap_or_default();
    let mut fm = match &m.license {
        Some(l) => hub_license(&l.expression, &x.catalog, &l.license_files),
        None => FrontMatter::default(),
    };
    fm.base_model = section.derived_from.iter().map(|u| u.id.clone()).collect();
    // A merge names several bases; otherwise every base shares the first's
    // relation on the Hub.
    fm.base_model_relation = section
        .derived_from
        .first()
        .map(|u| hub_relation(u.relation).to_owned());
    let data = x.records.training_data(model);
    fm.datasets = section.trained_on.iter().map(|t| t.id.clone()).collect();
    let mut languages = BTreeSet::new();
    for (_, record) in &data {
        if let Some(ds) = record.and_then(|l| l.manifest.dataset.as_ref()) {
            languages.extend(ds.languages.iter().cloned());
        }
    }
    fm.language = languages.into_iter().collect();
    fm
}

fn model_index(x: &Export, model: &Loaded) -> Vec<serde_json::Value> {
    x.records
        .evals_of(&model.manifest.id)
        .filter_map(|e| {
            let ev = e.manifest.eval.as_ref()?;
            let (dataset_type, dataset_name) = match &ev.dataset {
                Some(d) => (
                    d.id.clone(),
                    x.records
                        .get(&d.id)
                        .and_then(|l| l.manifest.title.clone())
                        .unwrap_or_else(|| d.id.clone()),
                ),
                None => (ev.task.clone(), ev.task.clone()),
            };
            let metrics: Vec<serde_json::Value> = ev
                .metrics
                .iter()
                .map(|(k, v)| serde_json::json!({"type": k, "value": v.value, "name": k}))
                .collect();
            Some(serde_json::json!({
                "task": {"type": ev.task, "name": ev.task},
                "dataset": {"type": dataset_type, "name": dataset_name},
                "metrics": metrics,
                "source": {"name": format!("commons evaluation record {} (sha256 {})", e.manifest.id, e.digest)},
            }))
        })
        .collect()
}

fn body(x: &Export, model: &Loaded) -> String {
    let m = &model.manifest;
    let mut out = String::new();
    let _ = writeln!(out, "# {}\n", m.title.as_deref().unwrap_or(&m.id));
    if let Some(d) = &m.description {
        let _ = writeln!(out, "{d}\n");
    }
    let _ = writeln!(
        out,
        "Exported from the signed record `{}` (sha256 `{}`) of the commons {}.\n",
        model.rel, model.digest, x.commons
    );
    let refs = m.references();
    if !refs.is_empty() {
        out.push_str("## Lineage\n\n");
        for r in &refs {
            let pin = r.digest.map_or("not pinned".to_owned(), |d| {
                format!("manifest sha256 `{d}`")
            });
            let _ = writeln!(out, "- {}: `{}` ({pin})", r.kind.label(), r.id);
        }
        out.push('\n');
    }
    let evals: Vec<&Loaded> = x.records.evals_of(&m.id).collect();
    if !evals.is_empty() {
        out.push_str("## Evaluation\n\n| task | metric | value | record |\n|---|---|---|---|\n");
        for e in evals {
            let Some(ev) = &e.manifest.eval else { continue };
            for (k, v) in &ev.metrics {
                let _ = writeln!(
                    out,
                    "| {} | {k} | {} | `{}` |",
                    ev.task, v.value, e.manifest.id
                );
            }
        }
        out.push('\n');
    }
    if let Some(o) = x.openness(model) {
        let _ = writeln!(out, "## Openness\n\n{}.\n", mof_summary(&o));
        for item in &o.osaid {
            let _ = writeln!(
                out,
                "- OSI Open Source AI Definition, {}: {}{}",
                super::cyclonedx::serde_plain(&item.item),
                super::cyclonedx::serde_plain(&item.state),
                if item.gaps.is_empty() {
                    String::new()
                } else {
                    format!(" ({})", item.gaps.join("; "))
                }
            );
        }
        out.push('\n');
    }
    out.push_str(&license_section(x, model));
    out
}

/// The license, and every notice and attribution the lineage's licenses
/// ask a copy to carry.
fn license_section(x: &Export, model: &Loaded) -> String {
    let mut out = String::from("## License\n\n");
    match &model.manifest.license {
        Some(l) => {
            let _ = writeln!(out, "`{}`\n", l.expression);
        }
        None => out.push_str("No license is recorded.\n\n"),
    }
    let mut credits = String::new();
    for l in x.records.lineage(model, false) {
        let Some(lic) = &l.manifest.license else {
            continue;
        };
        let asks = crate::license::expression::Choices::parse(&lic.expression)
            .map(|c| {
                c.licenses().any(|id| {
                    x.catalog.get(id).is_some_and(|t| {
                        t.obligations.attribution.is_some()
                            || t.obligations.notice.is_some()
                            || t.obligations.license_copy.is_some()
                    })
                })
            })
            .unwrap_or(false);
        if !asks && lic.notices.is_empty() && lic.display_attribution.is_none() {
            continue;
        }
        let title = l.manifest.title.as_deref().unwrap_or(&l.manifest.id);
        let _ = writeln!(
            credits,
            "- {title} (`{}`, {}), under `{}`",
            l.manifest.id, l.manifest.kind, lic.expression
        );
        for n in &lic.notices {
            let _ = writeln!(credits, "  - Notice: {n}");
        }
        if let Some(a) = &lic.display_attribution {
            let _ = writeln!(credits, "  - {a}");
        }
    }
    if !credits.is_empty() {
        out.push_str("### Notices and attributions\n\n");
        out.push_str("The licenses of this model and of what it was made from ask that these be credited, with their notices and a copy of each license:\n\n");
        out.push_str(&credits);
    }
    out
}

#[cfg(all(test, feature = "hub"))]
mod tests {
    use super::*;
    use crate::manifest::{
        DatasetSection, EvalSection, License, Manifest, Metric, Reference, TrainingData, Upstream,
    };
    use crate::records::RecordSet;

    fn loaded(m: Manifest) -> Loaded {
        Loaded::in_memory(m)
    }

    fn license(expr: &str) -> Option<License> {
        Some(License {
            expression: expr.into(),
            notices: vec!["Copyright the makers".into()],
            license_files: vec!["LICENSE".into()],
            display_attribution: None,
            declared: None,
            obtained: vec![],
        })
    }

    /// The card a model exports reads back, with the parser `fetch` uses,
    /// into the same fields, and those fields into the same record values.
    fn round_trip(expression: &str, relation: Relation) {
        let mut data = Manifest::new(Kind::Dataset, "org/data");
        data.license = license("CC-BY-4.0");
        data.dataset = Some(DatasetSection {
            languages: vec!["en".into(), "fr".into()],
            ..Default::default()
        });
        let mut base = Manifest::new(Kind::Model, "org/base");
        base.license = license("Apache-2.0");
        let mut model = Manifest::new(Kind::Model, "org/model");
        model.license = license(expression);
        let s = model.model.as_mut().unwrap();
        s.derived_from.push(Upstream {
            id: "org/base".into(),
            relation,
            digest: None,
        });
        s.trained_on.push(TrainingData {
            id: "org/data".into(),
            digest: None,
            stage: None,
        });
        let mut eval = Manifest::new(Kind::Eval, "org/model/piqa-1");
        eval.eval = Some(EvalSection {
            model: Reference {
                id: "org/model".into(),
                digest: None,
            },
            task: "piqa".into(),
            metrics: [(
                "acc".to_owned(),
                Metric {
                    value: 0.5,
                    stderr: None,
                },
            )]
            .into(),
            engine: "commons".into(),
            engine_version: "0".into(),
            ..Default::default()
        });
        let all = vec![loaded(model), loaded(base), loaded(data), loaded(eval)];
        let records = RecordSet::new(&all);
        let x = Export::lineage(&records, &all[0]);
        let text = document(&x).unwrap();
        let card = crate::hub::card::parse(&text).unwrap().unwrap();
        let fm = front_matter(&x, &all[0]);
        assert_eq!(card.license, fm.license.iter().cloned().collect::<Vec<_>>());
        assert_eq!(card.license_name, fm.license_name);
        assert_eq!(card.license_link, fm.license_link);
        assert_eq!(card.base_model, ["org/base"]);
        assert_eq!(card.datasets, ["org/data"]);
        assert_eq!(card.language, ["en", "fr"]);
        let relation_back = Relation::parse(card.base_model_relation.as_deref().unwrap());
        assert_eq!(relation_back, Some(relation));
        // The license reads back as the same SPDX id.
        let back = match card.license[0].as_str() {
            "other" => crate::license::hub_id::license_ref(card.license_name.as_deref().unwrap()),
            id => crate::license::hub_license_id(id, None)
                .unwrap_or_else(|| crate::license::hub_id::spdx_for(id)),
        };
        assert_eq!(back, expression);
        assert!(text.contains("value: 0.5"), "{text}");
        assert!(text.contains("Copyright the makers"), "{text}");
    }

    #[test]
    fn exported_cards_read_back_into_the_same_fields() {
        round_trip("Apache-2.0", Relation::FineTune);
        round_trip("CC-BY-SA-4.0", Relation::Quantization);
        round_trip("LicenseRef-llama3.1", Relation::Adapter);
        round_trip("LicenseRef-house-terms", Relation::Merge);
    }
}
