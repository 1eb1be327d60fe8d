//! CycloneDX 1.6 ML-BOM (JSON).
//!
//! Models are `machine-learning-model` components with a `modelCard`
//! (parameters, the datasets they were trained on by reference, performance
//! metrics from the commons' evaluation records, considerations where
//! recorded, the openness class as properties); datasets are `data`
//! components whose `data` entry carries governance and provenance; every
//! file is a nested `file` component with its sha256. Lineage is written
//! twice, as CycloneDX readers expect it: `pedigree.ancestors` (each
//! upstream with the digest its record is pinned by; the subject of a
//! lineage export lists all its base models, transitively) and the
//! `dependencies` graph. Each record's manifest digest and its members'
//! signatures are properties and external references.

use serde_json::{Map, Value, json};

use super::{Export, SignatureRef, mof_summary};
use crate::commons::Loaded;
use crate::digest::Sha256Hex;
use crate::manifest::{Kind, Manifest, ManifestRef, RefKind};

/// The BOM of an export.
pub fn document(x: &Export) -> Value {
    let mut components = Vec::new();
    let mut dependencies = Vec::new();
    let mut metadata = json!({
        "timestamp": x.created,
        "tools": {"components": [{
            "type": "application",
            "name": "commons",
            "version": x.tool.trim_start_matches("commons ").to_owned(),
        }]},
        "properties": [prop("commons:commons", &x.commons)],
    });
    for l in &x.selection {
        if l.manifest.kind == Kind::Eval {
            continue;
        }
        let c = component(x, l);
        dependencies.push(dependency(x, l));
        if x.subject.is_some_and(|s| std::ptr::eq(s, *l)) {
            metadata["component"] = c;
        } else {
            components.push(c);
        }
    }
    json!({
        "$schema": "http://cyclonedx.org/schema/bom-1.6.schema.json",
        "bomFormat": "CycloneDX",
        "specVersion": "1.6",
        "serialNumber": serial_number(x),
        "version": 1,
        "metadata": metadata,
        "components": components,
        "dependencies": dependencies,
    })
}

/// The `bom-ref` of a record: its kind and id.
pub fn bom_ref(kind: Kind, id: &str) -> String {
    format!("{kind}:{id}")
}

/// A UUID made from the digests of what is exported, so the same records
/// exported at the same time give the same serial number.
fn serial_number(x: &Export) -> String {
    let mut text = x.created.clone();
    for l in &x.selection {
        text.push_str(l.digest.as_str());
    }
    let d = Sha256Hex::of_bytes(text.as_bytes());
    let h = d.as_str();
    format!(
        "urn:uuid:{}-{}-5{}-8{}-{}",
        &h[0..8],
        &h[8..12],
        &h[13..16],
        &h[17..20],
        &h[20..32]
    )
}

fn prop(name: &str, value: &str) -> Value {
    json!({"name": name, "value": value})
}

fn split_id(id: &str) -> (&str, &str) {
    id.split_once('/').unwrap_or(("", id))
}

fn component(x: &Export, l: &Loaded) -> Value {
    let m = &l.manifest;
    let (group, name) = split_id(&m.id);
    let mut c = Map::new();
    let kind = match m.kind {
        Kind::Model => "machine-learning-model",
        _ => "data",
    };
    c.insert("type".into(), kind.into());
    c.insert("bom-ref".into(), bom_ref(m.kind, &m.id).into());
    c.insert("group".into(), group.into());
    c.insert("name".into(), name.into());
    if let Some(hub) = m.source.as_ref().and_then(|s| s.hub.as_ref()) {
        c.insert("version".into(), hub.revision.clone().into());
        if hub.repo_type == "model" {
            c.insert(
                "purl".into(),
                format!("pkg:huggingface/{}@{}", hub.repo, hub.revision).into(),
            );
        }
    }
    if let Some(text) = m.description.as_ref().or(m.title.as_ref()) {
        c.insert("description".into(), text.clone().into());
    }
    if let Some(license) = &m.license {
        c.insert(
            "licenses".into(),
            json!([{"expression": license.expression}]),
        );
    }
    let files: Vec<Value> = m
        .files
        .iter()
        .map(|f| {
            json!({
                "type": "file",
                "bom-ref": format!("{}#{}", bom_ref(m.kind, &m.id), f.path),
                "name": f.path,
                "hashes": [{"alg": "SHA-256", "content": f.sha256.as_str()}],
                "properties": [prop("commons:size", &f.size.to_string())],
            })
        })
        .collect();
    if !files.is_empty() {
        c.insert("components".into(), files.into());
    }
    let refs = external_references(m, x.signatures_of(&m.id));
    if !refs.is_empty() {
        c.insert("externalReferences".into(), refs.into());
    }
    let ancestors = pedigree(x, l);
    if !ancestors.is_empty() {
        c.insert("pedigree".into(), json!({ "ancestors": ancestors }));
    }
    match m.kind {
        Kind::Model => {
            c.insert("modelCard".into(), model_card(x, l));
        }
        _ => {
            c.insert("data".into(), json!([data(l)]));
        }
    }
    c.insert("properties".into(), properties(x, l).into());
    Value::Object(c)
}

fn external_references(m: &Manifest, signatures: &[SignatureRef]) -> Vec<Value> {
    let mut out = Vec::new();
    if let Some(source) = &m.source {
        if let Some(hub) = &source.hub {
            let folder = match hub.repo_type.as_str() {
                "dataset" => "datasets/",
                "space" => "spaces/",
                _ => "",
            };
            out.push(json!({
                "type": "distribution",
                "url": format!("{}/{folder}{}/tree/{}", hub.endpoint.trim_end_matches('/'), hub.repo, hub.revision),
            }));
        }
        if let Some(url) = &source.url {
            let mut r = json!({"type": "distribution", "url": url});
            if let Some(date) = &source.retrieved {
                r["comment"] = format!("retrieved {date}").into();
            }
            out.push(r);
        }
        if let Some(git) = &source.git {
            out.push(json!({
                "type": "vcs",
                "url": git.repo,
                "comment": format!("commit {}", git.commit),
            }));
        }
    }
    for s in signatures {
        out.push(json!({
            "type": "digital-signature",
            "url": s.path,
            "comment": format!(
                "minisign signature of the manifest by member {}{}",
                s.member,
                if s.valid { "" } else { " (does not verify against a trusted key)" }
            ),
        }));
    }
    out
}

/// Upstream records as ancestors: all base models, transitively, for the
/// subject of a lineage export; each record's direct upstreams otherwise.
fn pedigree(x: &Export, l: &Loaded) -> Vec<Value> {
    let ancestor = |r: &ManifestRef, kind: Kind| {
        let (group, name) = split_id(r.id);
        let mut props = vec![prop("commons:relation", r.kind.label())];
        if let Some(d) = r.digest {
            props.push(prop("commons:manifest-sha256", d.as_str()));
        }
        json!({
            "type": if kind == Kind::Model { "machine-learning-model" } else { "data" },
            "group": group,
            "name": name,
            "properties": props,
        })
    };
    let is_subject = x.subject.is_some_and(|s| std::ptr::eq(s, l));
    if is_subject && l.manifest.kind == Kind::Model {
        return x
            .records
            .ancestors(l)
            .iter()
            .map(|(_, r)| ancestor(r, Kind::Model))
            .collect();
    }
    l.manifest
        .references()
        .iter()
        .filter_map(|r| match r.kind {
            RefKind::BaseModel(_) => Some(ancestor(r, Kind::Model)),
            RefKind::UpstreamData => Some(ancestor(r, Kind::Dataset)),
            _ => None,
        })
        .collect()
}

fn dependency(x: &Export, l: &Loaded) -> Value {
    let mut on: Vec<String> = Vec::new();
    for r in l.manifest.references() {
        if let Some(up) = x.records.get(r.id) {
            let target = bom_ref(up.manifest.kind, r.id);
            if !on.contains(&target) {
                on.push(target);
            }
        }
    }
    json!({"ref": bom_ref(l.manifest.kind, &l.manifest.id), "dependsOn": on})
}

fn model_card(x: &Export, l: &Loaded) -> Value {
    let m = &l.manifest;
    let section = m.model.clone().unwrap_or_default();
    let mut parameters = Map::new();
    if let Some(a) = &section.architecture {
        parameters.insert("architectureFamily".into(), a.clone().into());
    }
    let datasets: Vec<Value> = section
        .trained_on
        .iter()
        .map(|t| match x.records.get(&t.id) {
            Some(_) => json!({"ref": bom_ref(Kind::Dataset, &t.id)}),
            None => json!({"type": "dataset", "name": t.id}),
        })
        .collect();
    if !datasets.is_empty() {
        parameters.insert("datasets".into(), datasets.into());
    }
    let mut card = Map::new();
    card.insert("modelParameters".into(), Value::Object(parameters));
    let metrics = performance_metrics(x, &m.id);
    if !metrics.is_empty() {
        card.insert(
            "quantitativeAnalysis".into(),
            json!({ "performanceMetrics": metrics }),
        );
    }
    if !section.use_restrictions.is_empty() {
        let ethical: Vec<Value> = section
            .use_restrictions
            .iter()
            .map(|r| json!({"name": r, "mitigationStrategy": "carried by the license to every derivative"}))
            .collect();
        card.insert(
            "considerations".into(),
            json!({ "ethicalConsiderations": ethical }),
        );
    }
    if let Some(o) = x.openness(l) {
        let mut props = vec![
            prop(
                "commons:mof-class",
                o.mof.class.map_or("none", |c| c.name()),
            ),
            prop("commons:mof", &mof_summary(&o)),
        ];
        for item in &o.osaid {
            props.push(prop(
                &format!("commons:osaid:{}", serde_plain(&item.item)),
                &serde_plain(&item.state),
            ));
        }
        card.insert("properties".into(), props.into());
    }
    Value::Object(card)
}

/// A unit enum's serde name.
pub(crate) fn serde_plain<T: serde::Serialize>(value: &T) -> String {
    match serde_json::to_value(value) {
        Ok(Value::String(s)) => s,
        other => format!("{other:?}"),
    }
}

/// One metric per evaluation record of `model` and metric name, the slice
/// naming the task and the record.
fn performance_metrics(x: &Export, model: &str) -> Vec<Value> {
    let mut out = Vec::new();
    for e in x.records.evals_of(model) {
        let Some(ev) = &e.manifest.eval else { continue };
        for (name, metric) in &ev.metrics {
            out.push(json!({
                "type": name,
                "value": metric.value.to_string(),
                "slice": format!("{} ({}, sha256 {})", ev.task, e.manifest.id, e.digest),
            }));
        }
    }
    out
}

fn data(l: &Loaded) -> Value {
    let m = &l.manifest;
    let (org, _) = split_id(&m.id);
    let ds = m.dataset.clone().unwrap_or_default();
    let mut d = Map::new();
    d.insert("type".into(), "dataset".into());
    d.insert("name".into(), m.id.clone().into());
    let url = m.source.as_ref().and_then(|s| {
        s.url.clone().or_else(|| {
            s.hub.as_ref().map(|h| {
                format!(
                    "{}/datasets/{}/tree/{}",
                    h.endpoint.trim_end_matches('/'),
                    h.repo,
                    h.revision
                )
            })
        })
    });
    if let Some(url) = url {
        d.insert("contents".into(), json!({ "url": url }));
    }
    if let Some(c) = &ds.collection {
        d.insert("description".into(), format!("collection: {c}").into());
    }
    if let Some(p) = &ds.personal_data {
        d.insert("sensitiveData".into(), json!([p]));
    }
    d.insert(
        "governance".into(),
        json!({"custodians": [{"organization": {"name": org}}]}),
    );
    Value::Object(d)
}

fn properties(x: &Export, l: &Loaded) -> Vec<Value> {
    let m = &l.manifest;
    let mut p = vec![
        prop("commons:manifest", &l.rel),
        prop("commons:manifest-sha256", l.digest.as_str()),
    ];
    for s in x.signatures_of(&m.id) {
        p.push(prop(
            "commons:signed-by",
            &format!("{}{}", s.member, if s.valid { "" } else { " (unverified)" }),
        ));
    }
    if let Some(lic) = &m.license {
        for n in &lic.notices {
            p.push(prop("commons:notice", n));
        }
        if let Some(a) = &lic.display_attribution {
            p.push(prop("commons:attribution", a));
        }
    }
    if let Some(ds) = &m.dataset {
        if let Some(c) = &ds.consent {
            p.push(prop("commons:consent", c));
        }
        if let Some(g) = &ds.generated_by {
            p.push(prop("commons:generated-by", &g.id));
        }
        for lang in &ds.languages {
            p.push(prop("commons:language", lang));
        }
        if let Some(n) = ds.items {
            p.push(prop("commons:items", &n.to_string()));
        }
    }
    if let Some(model) = &m.model {
        for r in model.trained_on.iter() {
            p.push(prop("commons:trained-on", &r.id));
        }
        for c in &model.components {
            p.push(prop(
                &format!("commons:component:{}", c.component),
                &format!(
                    "{} ({})",
                    c.location,
                    c.license.as_deref().unwrap_or("no license recorded")
                ),
            ));
        }
    }
    for e in x.records.evals_of(&m.id) {
        p.push(prop(
            "commons:evaluation",
            &format!("{} sha256 {}", e.manifest.id, e.digest),
        ));
    }
    p
}
