//! `commons eval` on the real small models: recorded results, agreement with
//! llama.cpp and sentence-transformers, shards that merge into exactly the
//! unsplit result, and bad input that records nothing.

use std::path::PathBuf;

use crate::support::{Test, models};
use crate::tiny::{self, TinyModel};

pub(crate) fn smollm2_dir() -> PathBuf {
    models::models_dir().join("smollm2")
}

fn smollm2() -> PathBuf {
    smollm2_dir().join("SmolLM2-135M-Instruct.Q4_1.gguf")
}

fn gemma3() -> PathBuf {
    models::models_dir().join("gemma3/gemma-3-270m-q4_k_m.gguf")
}

fn minilm() -> PathBuf {
    models::models_dir().join("all-minilm-l6-v2")
}

pub(crate) fn data(rel: &str) -> String {
    models::data_dir().join(rel).to_str().unwrap().to_owned()
}

pub(crate) fn s(p: &std::path::Path) -> String {
    p.to_str().unwrap().to_owned()
}

/// A commons with SmolLM2 recorded as `lab/smollm2` from its real file.
pub(crate) fn with_smollm2() -> Test {
    let t = Test::with_member();
    t.cmd([
        "record",
        "model",
        "lab/smollm2",
        "--license",
        "Apache-2.0",
        "--files",
        &s(&smollm2_dir()),
        "--source-local",
        "SmolLM2-135M-Instruct Q4_1",
    ])
    .success();
    t
}

/// Runs `commons eval` on `lab/smollm2` with JSON output.
pub(crate) fn eval_cmd(t: &Test, extra: &[&str]) -> crate::support::Outcome {
    let files = s(&smollm2_dir());
    let mut args = vec!["eval", "lab/smollm2", "--files", &files, "--format", "json"];
    args.extend_from_slice(extra);
    t.cmd(&args)
}

/// Runs `commons eval` on `lab/smollm2` and returns its JSON output.
pub(crate) fn eval_json(t: &Test, extra: &[&str]) -> serde_json::Value {
    eval_cmd(t, extra).success().json()
}

pub(crate) fn eval_manifest(t: &Test, id: &str) -> serde_yaml::Value {
    serde_yaml::from_str(&t.read(&format!("manifests/evals/{id}.yaml"))).unwrap()
}

#[test]
fn hellaswag_is_recorded_as_a_committed_eval_manifest() {
    let t = with_smollm2();
    let file = data("hellaswag/hellaswag_val_full.txt");
    let out = eval_json(
        &t,
        &["--task", "hellaswag", "--data", &file, "--limit", "8"],
    );
    let id = out["id"].as_str().unwrap();
    assert!(id.starts_with("lab/smollm2/hellaswag-"), "{id}");
    assert_eq!(out["items"], 8);
    let m = eval_manifest(&t, id);
    let e = &m["eval"];
    assert_eq!(e["task"], "hellaswag");
    assert_eq!(e["items"], 8);
    assert_eq!(
        e["data_sha256"],
        "d572539320eb2050e858ca34b495bbe2103e3b3f1391a9c3bcdf215b0bb93bd1"
    );
    assert_eq!(e["model"]["id"], "lab/smollm2");
    assert_eq!(e["model"]["digest"].as_str().unwrap().len(), 64);
    assert_eq!(e["config"]["limit"], 8);
    assert_eq!(e["config"]["format"], "hellaswag-lines");
    for metric in ["acc", "acc_norm"] {
        let v = e["metrics"][metric]["value"].as_f64().unwrap();
        assert!(
            (0.0..=1.0).contains(&v) && (v * 8.0).fract() == 0.0,
            "{metric} = {v}"
        );
        assert!(e["metrics"][metric]["stderr"].as_f64().is_some());
        assert_eq!(out["metrics"][metric]["value"].as_f64().unwrap(), v);
    }
    assert!(
        t.git_log()[0].starts_with("Record eval hellaswag of lab/smollm2"),
        "{:?}",
        t.git_log()
    );
    assert!(t.git_dirty().is_empty(), "{:?}", t.git_dirty());
    // Unsigned until a member signs it, like any manifest.
    t.cmd(["verify", "--no-files"])
        .code(1)
        .stdout_has("quorum-not-met");
    t.cmd(["sign", "--all"]).success();
    t.cmd(["verify", "--no-files"]).success();

    // Signed as it is recorded: the record, its signature and the snapshot
    // listing it go in one commit, and nothing waits for `commons sign`.
    let signed = eval_json(
        &t,
        &[
            "--task",
            "hellaswag",
            "--data",
            &file,
            "--limit",
            "4",
            "--sign",
        ],
    );
    let signed_id = signed["id"].as_str().unwrap();
    let commit = t.git(&["show", "--name-only", "--format=%s", "HEAD"]);
    for path in [
        format!("manifests/evals/{signed_id}.yaml"),
        format!("manifests/evals/{signed_id}.yaml.alice.minisig"),
        "snapshot.yaml".to_owned(),
    ] {
        assert!(commit.contains(&path), "{path} not in\n{commit}");
    }
    assert!(t.git_dirty().is_empty(), "{:?}", t.git_dirty());
    t.cmd(["verify", "--no-files", "--strict"]).success();
    // A key that is not a member's is refused before the evaluation runs.
    let nobody = [
        "--task",
        "hellaswag",
        "--data",
        &file,
        "--sign",
        "--as",
        "nobody",
    ];
    eval_cmd(&t, &nobody)
        .code(2)
        .stderr_has("`nobody` is not a member");
}

/// `commons eval MODEL --task perplexity --chunked --ctx 512` over the
/// first `chunks` chunks of wiki.test.raw, as JSON.
fn chunked_perplexity(model: &std::path::Path, chunks: usize) -> serde_json::Value {
    let chunks = chunks.to_string();
    Test::new()
        .cmd([
            "eval",
            &s(model),
            "--task",
            "perplexity",
            "--chunked",
            "--ctx",
            "512",
            "--limit",
            &chunks,
            "--data",
            &data("wikitext2/wiki.test.raw"),
            "--format",
            "json",
        ])
        .success()
        .json()
}

#[test]
fn chunked_perplexity_agrees_with_llama_cpp() {
    // `llama-perplexity -c 512 --chunks 4` on wiki.test.raw with this model
    // file (llama.cpp from llama-cpp-python 0.3.36): PPL = 22.8855.
    let out = chunked_perplexity(&smollm2(), 4);
    let ppl = out["metrics"]["perplexity"]["value"].as_f64().unwrap();
    assert!(
        (ppl / 22.8855 - 1.0).abs() < 0.005,
        "perplexity {ppl}, llama.cpp 22.8855"
    );
    let stderr = out["metrics"]["perplexity"]["stderr"].as_f64().unwrap();
    assert!(
        (stderr / 2.29357 - 1.0).abs() < 0.05,
        "stderr {stderr}, llama.cpp 2.29357"
    );
    assert_eq!(out["items"], 4);
    assert_eq!(out["config"]["ctx"], 512);
    assert!(out["id"].is_null());
}

/// Gemma 3 270M's perplexity on the first two chunks of 512 tokens of
/// wiki.test.raw, computed in full precision (see below).
pub const GEMMA3_CHUNKED_PPL: f64 = 15.5647;

#[test]
fn chunked_perplexity_on_gemma3_agrees_with_a_full_precision_product() {
    // Two chunks of 512 tokens of wiki.test.raw, the same ids computed in f64
    // from the dequantized weights of this file (numpy, outside this
    // project): PPL = 15.5647. Ours quantizes activations to 8 bits, as
    // llama.cpp does, which costs a little.
    let out = chunked_perplexity(&gemma3(), 2);
    let ppl = out["metrics"]["perplexity"]["value"].as_f64().unwrap();
    assert!(
        (ppl / GEMMA3_CHUNKED_PPL - 1.0).abs() < 0.01,
        "perplexity {ppl}, full precision {GEMMA3_CHUNKED_PPL}"
    );
    assert_eq!(out["items"], 2);
}

#[test]
fn rolling_perplexity_reports_word_and_byte_perplexity() {
    let t = Test::new();
    let out = t
        .cmd([
            "eval",
            &s(&smollm2()),
            "--task",
            "perplexity",
            "--ctx",
            "256",
            "--limit",
            "1",
            "--data",
            &data("wikitext2/wiki.test.raw"),
            "--format",
            "json",
        ])
        .success()
        .json();
    let m = &out["metrics"];
    let (word, byte, bpb) = (
        m["word_perplexity"]["value"].as_f64().unwrap(),
        m["byte_perplexity"]["value"].as_f64().unwrap(),
        m["bits_per_byte"]["value"].as_f64().unwrap(),
    );
    assert!(
        (bpb - byte.log2()).abs() < 1e-9,
        "bits per byte {bpb} vs byte perplexity {byte}"
    );
    assert!(
        word > byte && (1.0..3.0).contains(&byte) && (5.0..200.0).contains(&word),
        "{m}"
    );
    assert_eq!(out["config"]["documents"], "wikitext-pages");
    assert_eq!(out["config"]["window"], 256);
}

#[test]
fn shards_merge_into_exactly_the_unsplit_result() {
    let t = with_smollm2();
    let mut runs = Vec::new();
    for (task, extra) in [
        (
            "hellaswag",
            vec!["--data", "hellaswag/hellaswag_val_full.txt", "--limit", "7"],
        ),
        (
            "perplexity",
            vec![
                "--chunked",
                "--ctx",
                "128",
                "--data",
                "wikitext2/wiki.test.raw",
                "--limit",
                "5",
            ],
        ),
    ] {
        let extra: Vec<String> = extra
            .iter()
            .map(|a| {
                if a.contains('/') {
                    data(a)
                } else {
                    a.to_string()
                }
            })
            .collect();
        let mut args: Vec<&str> = vec!["--task", task];
        args.extend(extra.iter().map(String::as_str));
        let whole = eval_json(&t, &args);
        let whole_id = whole["id"].as_str().unwrap().to_owned();
        let whole_yaml = eval_manifest(&t, &whole_id);
        let mut shard_ids = Vec::new();
        for shard in ["3/3", "1/3", "2/3"] {
            let mut a = args.clone();
            a.extend(["--shard", shard]);
            let out = eval_json(&t, &a);
            assert_eq!(out["shard"], shard);
            shard_ids.push(out["id"].as_str().unwrap().to_owned());
        }
        runs.push((task, whole_id, whole_yaml, shard_ids));
    }
    // Shards of different evaluations, or an incomplete set, do not merge.
    let (hellaswag, chunked) = (&runs[0].3, &runs[1].3);
    t.cmd(["eval", "merge", &hellaswag[0], &hellaswag[1]])
        .code(2)
        .stderr_has("missing");
    t.cmd(["eval", "merge", &hellaswag[0], &hellaswag[1], &chunked[2]])
        .code(2)
        .stderr_has("in `eval.task` (perplexity-chunked here, hellaswag there)");

    // A shard the commons has not accepted does not merge: below the quorum
    // unless --allow-unsigned, and never with a signature that fails.
    t.cmd(["eval", "merge", &hellaswag[0], &hellaswag[1], &hellaswag[2]])
        .code(2)
        .stderr_has(&format!("shard 3/3 `{}` is not accepted", hellaswag[0]))
        .stderr_has("quorum-not-met")
        .stderr_has("--allow-unsigned");
    for id in hellaswag {
        t.cmd(["sign", id]).success();
    }
    let sig = format!("manifests/evals/{}.yaml.alice.minisig", hellaswag[1]);
    let good = t.read(&sig);
    t.write(
        &sig,
        good.replacen("\ntrusted comment: ", "\ntrusted comment: forged ", 1),
    );
    t.cmd([
        "eval",
        "merge",
        "--allow-unsigned",
        &hellaswag[0],
        &hellaswag[1],
        &hellaswag[2],
    ])
    .code(2)
    .stderr_has(&format!("shard 1/3 `{}` is not accepted", hellaswag[1]))
    .stderr_has("signature-");
    t.write(&sig, good);
    assert!(t.git_dirty().is_empty(), "{:?}", t.git_dirty());

    for (task, whole_id, whole_yaml, shard_ids) in &runs {
        let shard_digests: Vec<String> = shard_ids
            .iter()
            .map(|id| {
                use sha2::Digest;
                let bytes = std::fs::read(t.path(&format!("manifests/evals/{id}.yaml"))).unwrap();
                hex::encode(sha2::Sha256::digest(bytes))
            })
            .collect();
        // The hellaswag shards are signed now; the chunked ones are not.
        let mut merge = vec!["eval", "merge", "--format", "json"];
        if *task != "hellaswag" {
            merge.push("--allow-unsigned");
        }
        merge.extend(shard_ids.iter().map(String::as_str));
        let merged = t.cmd(&merge).success().stderr_has("Folded 3 shard").json();
        assert_eq!(
            merged["id"],
            whole_id.as_str(),
            "the merge lands on the unsplit run's id"
        );
        let merged_yaml = eval_manifest(&t, whole_id);
        for field in [
            "metrics",
            "tally",
            "items",
            "config",
            "data_sha256",
            "model",
            "task",
        ] {
            assert_eq!(
                merged_yaml["eval"][field], whole_yaml["eval"][field],
                "{task}: eval.{field}"
            );
        }
        assert!(merged_yaml["eval"]["shard"].is_null());
        // The shards are folded away in the merge's commit, named in shard
        // order with the digests of the files the history keeps.
        let from = merged_yaml["eval"]["merged_from"].as_sequence().unwrap();
        let order = [1, 2, 0];
        for (i, r) in from.iter().enumerate() {
            assert_eq!(r["id"].as_str(), Some(shard_ids[order[i]].as_str()));
            assert_eq!(r["digest"].as_str(), Some(shard_digests[order[i]].as_str()));
        }
        for id in shard_ids {
            assert!(!t.path(&format!("manifests/evals/{id}.yaml")).exists());
        }
        assert!(t.git_dirty().is_empty(), "{:?}", t.git_dirty());
        assert!(t.git_log()[0].starts_with(&format!(
            "Merge 3 shards of eval {}",
            whole_yaml["eval"]["task"].as_str().unwrap()
        )));
        assert!(
            !t.verify_rules(&[whole_id, "--no-files"])
                .contains(&"eval-merge-mismatch".to_owned())
        );
    }
    let list = t.cmd(["eval", "list", "--format", "json"]).success().json();
    assert!(
        list.as_array()
            .unwrap()
            .iter()
            .all(|r| r["shard"].is_null()),
        "{list}"
    );

    // A shallow clone lacks the shards' versions: the result is not merged
    // again, and verify says so.
    let shallow = t.shallow_clone("shallow");
    let out = t
        .cmd([
            "-C",
            shallow.to_str().unwrap(),
            "verify",
            &runs[0].1,
            "--no-files",
            "--format",
            "json",
        ])
        .code(1);
    assert!(
        out.rules().contains(&"eval-shards-unavailable".to_owned()),
        "{}",
        out.stdout()
    );

    // verify merges the shards again from history: a merged number edited
    // by hand is found.
    let (_, whole_id, _, _) = &runs[0];
    let rel = format!("manifests/evals/{whole_id}.yaml");
    let mut yaml = eval_manifest(&t, whole_id);
    let acc = &mut yaml["eval"]["metrics"]["acc"]["value"];
    *acc = serde_yaml::Value::from(acc.as_f64().unwrap() + 0.125);
    t.write(&rel, serde_yaml::to_string(&yaml).unwrap());
    let out = t
        .cmd(["verify", whole_id, "--no-files", "--format", "json"])
        .code(1);
    let finding = out.json()["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["rule"] == "eval-merge-mismatch")
        .cloned()
        .unwrap_or_else(|| panic!("{}", out.stdout()));
    assert_eq!(finding["field"], "eval.metrics");
}

#[test]
fn sts_spearman_matches_the_published_figure() {
    let t = Test::new();
    let out = t
        .cmd([
            "eval",
            &s(&minilm()),
            "--task",
            "sts",
            "--data",
            &data("stsb/sts-test.csv"),
            "--format",
            "json",
        ])
        .success()
        .json();
    assert_eq!(out["items"], 1379);
    let spearman = out["metrics"]["spearman"]["value"].as_f64().unwrap();
    assert!(
        (spearman - 0.8203).abs() < 0.005,
        "Spearman {spearman}, published 0.8203"
    );
    let pearson = out["metrics"]["pearson"]["value"].as_f64().unwrap();
    assert!((0.75..0.9).contains(&pearson), "Pearson {pearson}");
}

#[test]
fn multiple_choice_presets_read_their_published_formats() {
    let t = Test::new();
    for (task, file) in [
        ("arc-easy", "arc_easy/arc_easy.llmfoundry.jsonl"),
        ("piqa", "piqa/valid.jsonl"),
        ("piqa", "piqa/piqa.llmfoundry.jsonl"),
        ("lambada", "lambada/lambada_openai.llmfoundry.jsonl"),
    ] {
        let out = t
            .cmd([
                "eval",
                &s(&smollm2()),
                "--task",
                task,
                "--data",
                &data(file),
                "--limit",
                "4",
                "--format",
                "json",
            ])
            .success()
            .json();
        assert_eq!(out["items"], 4, "{task} {file}");
        let acc = out["metrics"]["acc"]["value"].as_f64().unwrap();
        assert!((acc * 4.0).fract() == 0.0, "{task}: acc {acc}");
        if task == "lambada" {
            assert!(out["metrics"]["perplexity"]["value"].as_f64().unwrap() > 1.0);
        } else {
            assert!(out["metrics"]["acc_norm"]["value"].is_number(), "{task}");
        }
    }
}

#[test]
fn bad_data_is_refused_and_nothing_is_recorded() {
    let t = with_smollm2();
    let before = t.git_log();
    let files = s(&smollm2_dir());
    let good = "{\"context\": \"The sky is\", \"choices\": [\"blue\", \"green\"], \"gold\": 0}\n";
    t.write(
        "work/broken.jsonl",
        format!("{good}{good}{{\"context\": \"x\", \"choices\": [\"a\"\n"),
    );
    t.write(
        "work/gold.jsonl",
        format!("{good}{{\"context\": \"x\", \"choices\": [\"a\", \"b\"], \"gold\": 2}}\n"),
    );
    t.write("work/empty.jsonl", "\n");
    t.write("work/short.txt", "A context\n0\none\ntwo\n");
    let cases = [
        (
            "choice",
            "work/broken.jsonl",
            "broken.jsonl:3: not a JSON line",
        ),
        (
            "choice",
            "work/gold.jsonl",
            "gold.jsonl:2: `gold`: gold label 2 is out of range for 2 choices",
        ),
        (
            "choice",
            "work/empty.jsonl",
            "empty.jsonl: the data file is empty",
        ),
        (
            "hellaswag",
            "work/short.txt",
            "short.txt:1: 4 lines is not a whole number of HellaSwag items",
        ),
        (
            "sts",
            "work/gold.jsonl",
            "gold.jsonl:1: expected 7 tab-separated fields",
        ),
        ("choice", "work/missing.jsonl", "missing.jsonl"),
    ];
    for (task, file, message) in cases {
        t.cmd([
            "eval",
            "lab/smollm2",
            "--files",
            &files,
            "--task",
            task,
            "--data",
            file,
        ])
        .code(2)
        .stderr_has(message);
    }
    t.cmd([
        "eval",
        "lab/smollm2",
        "--files",
        &files,
        "--task",
        "hellaswag",
        "--data",
        &data("hellaswag/hellaswag_val_full.txt"),
        "--shard",
        "4/3",
    ])
    .code(2)
    .stderr_has("`4/3` is not a shard");
    t.cmd([
        "eval",
        "lab/smollm2",
        "--files",
        &files,
        "--task",
        "sts",
        "--data",
        &data("stsb/sts-test.csv"),
        "--limit",
        "2",
    ])
    .code(2)
    .stderr_has("needs a sentence encoder");
    t.cmd([
        "eval",
        "lab/smollm2",
        "--task",
        "choice",
        "--data",
        "work/broken.jsonl",
    ])
    .code(2);
    assert_eq!(t.git_log(), before);
    assert!(
        t.git_dirty().iter().all(|p| p.starts_with("work/")),
        "{:?}",
        t.git_dirty()
    );
}

#[test]
fn ctrl_c_stops_cleanly_and_records_nothing() {
    let t = with_smollm2();
    let before = t.git_log();
    let files = s(&smollm2_dir());
    let file = data("hellaswag/hellaswag_val_full.txt");
    let child = t
        .command([
            "eval",
            "lab/smollm2",
            "--files",
            &files,
            "--task",
            "hellaswag",
            "--data",
            &file,
        ])
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    std::thread::sleep(std::time::Duration::from_secs(4));
    let status = std::process::Command::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(status.success());
    let out = child.wait_with_output().unwrap();
    assert_eq!(
        out.status.code(),
        Some(2),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(String::from_utf8_lossy(&out.stderr).contains("interrupted; nothing was recorded"));
    assert!(out.stdout.is_empty());
    assert_eq!(t.git_log(), before);
    assert!(t.git_dirty().is_empty(), "{:?}", t.git_dirty());
}

#[test]
fn show_and_list_compare_recorded_results() {
    let t = with_smollm2();
    eval_json(
        &t,
        &[
            "--task",
            "arc-easy",
            "--data",
            &data("arc_easy/arc_easy.llmfoundry.jsonl"),
            "--limit",
            "3",
        ],
    );
    eval_json(
        &t,
        &[
            "--task",
            "piqa",
            "--data",
            &data("piqa/valid.jsonl"),
            "--limit",
            "3",
        ],
    );
    let show = t.cmd(["eval", "show"]).success().stdout();
    for needle in ["lab/smollm2", "arc-easy", "piqa", "acc_norm", "±"] {
        assert!(show.contains(needle), "{needle}:\n{show}");
    }
    let json = t.cmd(["eval", "show", "--format", "json"]).success().json();
    assert_eq!(json[0]["model"], "lab/smollm2");
    assert!(json[0]["results"]["piqa/acc"]["value"].is_number());
    let list = t.cmd(["eval", "list", "--task", "piqa"]).success().stdout();
    assert!(
        list.contains("piqa") && !list.contains("arc-easy"),
        "{list}"
    );
    t.cmd(["eval", "show", "--task", "lambada"])
        .code(2)
        .stderr_has("no recorded results");
}

#[test]
fn show_tells_limited_and_sharded_results_from_whole_ones() {
    let t = with_smollm2();
    let arc = data("arc_easy/arc_easy.llmfoundry.jsonl");
    eval_json(&t, &["--task", "arc-easy", "--data", &arc, "--limit", "3"]);
    // Only one shard of a limited LAMBADA run: shown, as a shard.
    let lambada = data("lambada/lambada_openai.llmfoundry.jsonl");
    eval_json(
        &t,
        &[
            "--task", "lambada", "--data", &lambada, "--limit", "4", "--shard", "1/2",
        ],
    );
    let json = t.cmd(["eval", "show", "--format", "json"]).success().json();
    let coverage = &json[0]["coverage"];
    assert_eq!(coverage["arc-easy"]["items"], 3, "{json:#}");
    assert_eq!(coverage["arc-easy"]["limit"], 3, "{json:#}");
    assert!(coverage["arc-easy"]["shard"].is_null(), "{json:#}");
    assert_eq!(coverage["lambada"]["items"], 2, "{json:#}");
    assert_eq!(coverage["lambada"]["shard"], "1/2", "{json:#}");
    // The wide table and the long layout both say so, within the width.
    for columns in ["60", "80", "120", "250"] {
        let out = t
            .run_with(["eval", "show"], |c| {
                c.env("COLUMNS", columns);
            })
            .success()
            .stdout();
        for line in out.lines() {
            assert!(
                line.chars().count() <= columns.parse().unwrap(),
                "COLUMNS={columns}: {line:?}\n{out}"
            );
        }
        for needle in [
            "3 (--limit 3)",
            "2 (--limit 4, shard 1/2)",
            "arc-easy",
            "items",
        ] {
            assert!(out.contains(needle), "COLUMNS={columns}: {needle}\n{out}");
        }
    }
    // A whole result, once there is one, is shown instead of the shard.
    eval_json(
        &t,
        &["--task", "lambada", "--data", &lambada, "--limit", "2"],
    );
    let json = t.cmd(["eval", "show", "--format", "json"]).success().json();
    assert!(
        json[0]["coverage"]["lambada"]["shard"].is_null(),
        "{json:#}"
    );
}

#[test]
fn a_result_for_a_path_says_it_is_not_recorded() {
    let t = with_smollm2();
    let arc = data("arc_easy/arc_easy.llmfoundry.jsonl");
    let model = s(&smollm2());
    let commits = t.git_log().len();
    t.cmd([
        "eval", &model, "--task", "arc-easy", "--data", &arc, "--limit", "1",
    ])
    .success()
    .stdout_has("arc-easy on 1 items")
    .stderr_has("the result is not recorded")
    .stderr_has("is a path, not a model id of the commons");
    eval_cmd(
        &t,
        &[
            "--task",
            "arc-easy",
            "--data",
            &arc,
            "--limit",
            "1",
            "--no-record",
        ],
    )
    .success()
    .stderr_has("Not recorded");
    assert_eq!(t.git_log().len(), commits, "{:?}", t.git_log());
}

/// The samples a result logged, decoded: one JSON object per item.
fn samples_of(t: &Test, manifest: &serde_yaml::Value, id: &str) -> Vec<serde_json::Value> {
    let file = manifest["eval"]["samples"]["file"].as_str().unwrap();
    let dir = std::path::Path::new(&format!("manifests/evals/{id}.yaml"))
        .parent()
        .unwrap()
        .to_path_buf();
    let bytes = std::fs::read(t.path(dir.join(file).to_str().unwrap())).unwrap();
    let text = zstd::decode_all(&bytes[..]).unwrap();
    String::from_utf8(text)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

/// Two-sided exact binomial p-value, computed the plain way.
fn binomial_p(b: u64, c: u64) -> f64 {
    let n = b + c;
    let k = b.min(c);
    let choose =
        |n: u64, i: u64| (0..i).fold(1.0f64, |acc, j| acc * (n - j) as f64 / (j + 1) as f64);
    let tail: f64 = (0..=k).map(|i| choose(n, i)).sum::<f64>() / 2f64.powi(n as i32);
    (2.0 * tail).min(1.0)
}

#[test]
fn samples_are_logged_bound_to_the_result_and_audited() {
    let t = with_smollm2();
    let hellaswag = data("hellaswag/hellaswag_val_full.txt");
    let base = ["--task", "hellaswag", "--data", &hellaswag, "--limit", "12"];
    let with = |extra: &[&str]| -> Vec<String> {
        base.iter()
            .chain(extra)
            .map(|s| s.to_string())
            .chain(["--log-samples".to_owned()])
            .collect()
    };
    let args = with(&[]);
    let out = eval_json(&t, &args.iter().map(String::as_str).collect::<Vec<_>>());
    let id = out["id"].as_str().unwrap().to_owned();
    assert_eq!(out["samples"]["items"], 12);
    let manifest = eval_manifest(&t, &id);
    // Recorded in the same commit as the manifest, nothing left over.
    assert!(t.git_dirty().is_empty(), "{:?}", t.git_dirty());
    let rel = format!(
        "manifests/evals/{}/{}",
        std::path::Path::new(&id).parent().unwrap().display(),
        manifest["eval"]["samples"]["file"].as_str().unwrap()
    );
    assert_eq!(
        manifest["eval"]["samples"]["sha256"].as_str().unwrap(),
        crate::support::sha256_hex(&std::fs::read(t.path(&rel)).unwrap())
    );
    let samples = samples_of(&t, &manifest, &id);
    assert_eq!(samples.len(), 12);
    let mut correct = 0.0;
    for (i, s) in samples.iter().enumerate() {
        assert_eq!(s["doc_id"], i as u64);
        let lls: Vec<f64> = s["loglikelihoods"]
            .as_array()
            .unwrap()
            .iter()
            .map(|v| v.as_f64().unwrap())
            .collect();
        assert_eq!(lls.len(), 4);
        assert!(lls.iter().all(|l| *l < 0.0));
        let best = (0..4).fold(0, |b, j| if lls[j] > lls[b] { j } else { b });
        assert_eq!(s["prediction"], best);
        let right = s["prediction"] == s["target"];
        assert_eq!(
            s["sums"]["correct"].as_f64().unwrap(),
            f64::from(u8::from(right))
        );
        correct += s["sums"]["correct"].as_f64().unwrap();
        assert_eq!(s["doc_hash"].as_str().unwrap().len(), 64);
    }
    let acc = manifest["eval"]["metrics"]["acc"]["value"]
        .as_f64()
        .unwrap();
    assert_eq!(acc, correct / 12.0);
    assert!(
        !t.verify_rules(&["--no-files"])
            .contains(&"eval-samples-mismatch".to_owned())
    );

    // Shards log their own samples; merged, they are the unsplit run's
    // file byte for byte.
    let mut shard_ids = Vec::new();
    for shard in ["2/2", "1/2"] {
        let a = with(&["--shard", shard]);
        let out = eval_json(&t, &a.iter().map(String::as_str).collect::<Vec<_>>());
        shard_ids.push(out["id"].as_str().unwrap().to_owned());
    }
    let whole_digest = manifest["eval"]["samples"]["sha256"]
        .as_str()
        .unwrap()
        .to_owned();
    let mut merge = vec!["eval", "merge", "--allow-unsigned", "--format", "json"];
    merge.extend(shard_ids.iter().map(String::as_str));
    let merged = t.cmd(&merge).success().json();
    assert_eq!(merged["id"], id.as_str());
    assert_eq!(merged["eval"]["samples"]["sha256"], whole_digest.as_str());
    assert!(t.git_dirty().is_empty(), "{:?}", t.git_dirty());
    for shard in &shard_ids {
        let stem = shard.rsplit('/').next().unwrap();
        assert!(
            !t.path(&rel)
                .with_file_name(format!("{stem}.samples.jsonl.zst"))
                .exists(),
            "the folded shard's samples are removed with it"
        );
    }

    // Another setting over the same items: `eval diff` pairs them, and its
    // counts and McNemar p-value are those of the two files.
    let short = with(&["--ctx", "24"]);
    let other = eval_json(&t, &short.iter().map(String::as_str).collect::<Vec<_>>());
    let other_id = other["id"].as_str().unwrap().to_owned();
    let other_samples = samples_of(&t, &eval_manifest(&t, &other_id), &other_id);
    let diff = t
        .cmd(["eval", "diff", &id, &other_id, "--format", "json"])
        .success()
        .json();
    let c = &diff["comparison"];
    assert_eq!(c["paired"], 12);
    assert!(
        diff["config_differences"]
            .as_array()
            .unwrap()
            .iter()
            .any(|d| d.as_str().unwrap().starts_with("config.max_length:"))
    );
    for (metric, sum) in [("acc", "correct"), ("acc_norm", "correct_norm")] {
        let right = |s: &serde_json::Value| s["sums"][sum].as_f64().unwrap() == 1.0;
        let a_only = samples
            .iter()
            .zip(&other_samples)
            .filter(|(x, y)| right(x) && !right(y))
            .count() as u64;
        let b_only = samples
            .iter()
            .zip(&other_samples)
            .filter(|(x, y)| !right(x) && right(y))
            .count() as u64;
        let m = c["metrics"]
            .as_array()
            .unwrap()
            .iter()
            .find(|m| m["metric"] == metric)
            .unwrap();
        assert_eq!(m["a_only_right"], a_only, "{metric}");
        assert_eq!(m["b_only_right"], b_only, "{metric}");
        assert_eq!(m["test"], "mcnemar");
        assert!((m["p_value"].as_f64().unwrap() - binomial_p(a_only, b_only)).abs() < 1e-12);
        assert_eq!(
            c["changed"][metric].as_array().unwrap().len() as u64,
            a_only + b_only
        );
    }
    t.cmd(["eval", "diff", &id, &other_id])
        .success()
        .stdout_has("12 items paired")
        .stdout_has("McNemar");
    // Against itself: nothing changed, nothing significant.
    let same = t
        .cmd(["eval", "diff", &id, &id, "--format", "json"])
        .success()
        .json();
    assert!(
        same["comparison"]["metrics"]
            .as_array()
            .unwrap()
            .iter()
            .all(|m| m["delta"] == 0.0 && m["p_value"] == 1.0 && m["significant"] == false)
    );

    // A result without samples cannot be diffed; neither can two tasks.
    let plain = eval_json(
        &t,
        &["--task", "hellaswag", "--data", &hellaswag, "--limit", "3"],
    );
    t.cmd(["eval", "diff", &id, plain["id"].as_str().unwrap()])
        .code(2)
        .stderr_has("has no per-item samples")
        .stderr_has("--log-samples");

    // A pusher without a key edits one item's score: verify names the file
    // and field; rewriting the recorded digest too breaks the manifest's
    // digest pins and adds nothing up.
    let mut forged = samples.clone();
    let flip = if forged[0]["sums"]["correct"] == 1.0 {
        0.0
    } else {
        1.0
    };
    forged[0]["sums"]["correct"] = flip.into();
    let text: String = forged.iter().map(|s| format!("{s}\n")).collect();
    let bytes = zstd::encode_all(text.as_bytes(), 3).unwrap();
    std::fs::write(t.path(&rel), &bytes).unwrap();
    let samples_finding = || {
        let report = t.cmd(["verify", "--no-files", "--format", "json"]).json();
        report["findings"]
            .as_array()
            .unwrap()
            .iter()
            .find(|f| f["rule"] == "eval-samples-mismatch")
            .cloned()
            .expect("eval-samples-mismatch")
    };
    assert_eq!(samples_finding()["field"], "eval.samples.sha256");
    let yaml_rel = format!("manifests/evals/{id}.yaml");
    let yaml = t
        .read(&yaml_rel)
        .replace(&whole_digest, &crate::support::sha256_hex(&bytes));
    t.write(&yaml_rel, yaml);
    assert_eq!(samples_finding()["field"], "eval.tally");
    t.cmd(["eval", "diff", &id, &other_id])
        .code(2)
        .stderr_has("do not add up")
        .stderr_has(&yaml_rel);
}

#[test]
fn unrecorded_results_write_samples_where_asked() {
    let t = Test::new();
    let hellaswag = data("hellaswag/hellaswag_val_full.txt");
    let model = s(&smollm2());
    let base = [
        "eval",
        &model,
        "--task",
        "hellaswag",
        "--data",
        &hellaswag,
        "--limit",
        "3",
    ];
    let mut args = base.to_vec();
    args.push("--log-samples");
    t.cmd(&args)
        .code(2)
        .stderr_has("name the file to write the samples to");
    let out = t.path("out/s.jsonl.zst");
    std::fs::create_dir_all(out.parent().unwrap()).unwrap();
    let mut args = base.to_vec();
    args.extend(["--log-samples", out.to_str().unwrap(), "--format", "json"]);
    let json = t.cmd(&args).success().json();
    let bytes = std::fs::read(&out).unwrap();
    assert_eq!(
        json["samples"]["sha256"],
        crate::support::sha256_hex(&bytes)
    );
    let text = String::from_utf8(zstd::decode_all(&bytes[..]).unwrap()).unwrap();
    assert_eq!(text.lines().count(), 3);
    assert_eq!(
        std::fs::read_dir(out.parent().unwrap()).unwrap().count(),
        1,
        "no temporary file left behind"
    );
}

#[test]
fn few_shot_hellaswag_is_recorded_and_its_shards_merge_exactly() {
    let t = with_smollm2();
    let file = data("hellaswag/hellaswag_val_full.txt");
    let args = [
        "--task",
        "hellaswag",
        "--data",
        &file,
        "--limit",
        "4",
        "--num-fewshot",
        "2",
    ];
    let whole = eval_json(&t, &args);
    assert_eq!(whole["items"], 4);
    let id = whole["id"].as_str().unwrap().to_owned();
    let yaml = eval_manifest(&t, &id);
    let e = &yaml["eval"];
    assert_eq!(e["config"]["num_fewshot"], 2);
    assert_eq!(e["config"]["fewshot_seed"], 1234);
    assert!(e["config"]["limit_seed"].is_null());
    assert_eq!(e["items"], 4);
    assert_eq!(e["tally"]["items"], 4.0, "{:?}", e["tally"]);
    let show = t.cmd(["eval", "show", "--format", "json"]).success().json();
    assert_eq!(
        show[0]["coverage"]["hellaswag"]["num_fewshot"], 2,
        "{show:#}"
    );
    t.cmd(["eval", "show"])
        .success()
        .stdout_has("4 (2-shot, --limit 4)");
    let zero_shot = eval_json(&t, &args[..6]);
    assert_ne!(zero_shot["id"], whole["id"], "few-shot changes the id");
    assert!(zero_shot["config"]["num_fewshot"].is_null());

    let shards: Vec<String> = ["2/2", "1/2"]
        .iter()
        .map(|shard| {
            let mut a = args.to_vec();
            a.extend(["--shard", shard]);
            let out = eval_json(&t, &a);
            assert_eq!(out["items"], 2);
            out["id"].as_str().unwrap().to_owned()
        })
        .collect();
    let merged = t
        .cmd([
            "eval",
            "merge",
            "--allow-unsigned",
            "--format",
            "json",
            &shards[0],
            &shards[1],
        ])
        .success()
        .json();
    assert_eq!(merged["id"], id.as_str());
    let merged_yaml = eval_manifest(&t, &id);
    for field in ["metrics", "tally", "items", "config"] {
        assert_eq!(merged_yaml["eval"][field], e[field], "eval.{field}");
    }
}

#[test]
fn few_shot_examples_reach_the_model_and_are_refused_where_they_mean_nothing() {
    let t = Test::new();
    let model = s(&smollm2());
    let lambada = data("lambada/lambada_openai.llmfoundry.jsonl");
    let run = |shots: &str, shard: &str| {
        t.cmd([
            "eval",
            &model,
            "--task",
            "lambada",
            "--data",
            &lambada,
            "--limit",
            "3",
            "--num-fewshot",
            shots,
            "--shard",
            shard,
            "--format",
            "json",
        ])
        .success()
        .json()
    };
    // The summed log-likelihood of the last words of a run.
    let loglikelihood = |out: &serde_json::Value| {
        -out["metrics"]["perplexity"]["value"].as_f64().unwrap().ln()
            * out["items"].as_f64().unwrap()
    };
    let (zero, one) = (run("0", "1/1"), run("1", "1/1"));
    assert_eq!(one["config"]["num_fewshot"], 1);
    assert_ne!(
        zero["metrics"]["perplexity"]["value"], one["metrics"]["perplexity"]["value"],
        "a passage before each item changes the last word's likelihood"
    );
    // Each shard's items read the examples they read in the whole run.
    let shards = loglikelihood(&run("1", "1/2")) + loglikelihood(&run("1", "2/2"));
    assert!(
        (shards - loglikelihood(&one)).abs() < 1e-6,
        "shards {shards}, whole {}",
        loglikelihood(&one)
    );
    for (task, file) in [
        ("perplexity", "wikitext2/wiki.test.raw"),
        ("sts", "stsb/sts-test.csv"),
    ] {
        t.cmd([
            "eval",
            &model,
            "--task",
            task,
            "--data",
            &data(file),
            "--num-fewshot",
            "1",
        ])
        .code(2)
        .stderr_has(&format!(
            "--num-fewshot applies to the multiple-choice tasks and lambada, not `{task}`"
        ));
    }
    t.write(
        "two.jsonl",
        "{\"context\": \"a\", \"choices\": [\"b\", \"c\"], \"gold\": 0}\n".repeat(2),
    );
    for (flag, value, says) in [
        (
            "--num-fewshot",
            "2",
            "two.jsonl: --num-fewshot 2 draws 3 items to choose 2 examples from; the data holds 2",
        ),
        ("--limit-seed", "1", "--limit <N>"),
    ] {
        t.cmd([
            "eval",
            &model,
            "--task",
            "choice",
            "--data",
            "two.jsonl",
            flag,
            value,
        ])
        .code(2)
        .stderr_has(says);
    }
}

#[test]
fn a_seeded_limit_scores_the_items_python_names() {
    let python = std::process::Command::new("python3")
        .args([
            "-c",
            "import random\nprint(*sorted(random.Random(7).sample(range(20), 5)))",
        ])
        .output()
        .expect("python3 must be installed: the expected selection comes from CPython");
    assert!(python.status.success());
    let named: Vec<usize> = String::from_utf8(python.stdout)
        .unwrap()
        .split_whitespace()
        .map(|i| i.parse().unwrap())
        .collect();
    assert_eq!(named.len(), 5);
    // Both choices are the same single token, so the model ties and picks
    // the first: an item is right exactly when its gold is 0, which it is
    // for the items Python names and for no other.
    let t = Test::new();
    let lines: String = (0..20)
        .map(|i| {
            let gold = u8::from(!named.contains(&i));
            format!("{{\"context\": \"Item {i}:\", \"choices\": [\"yes\", \"yes\"], \"gold\": {gold}}}\n")
        })
        .collect();
    t.write("items.jsonl", lines);
    let model = s(&smollm2());
    let run = |extra: &[&str]| {
        let mut args = vec![
            "eval",
            &model,
            "--task",
            "choice",
            "--data",
            "items.jsonl",
            "--limit",
            "5",
            "--format",
            "json",
        ];
        args.extend_from_slice(extra);
        t.cmd(&args).success().json()
    };
    let seeded = run(&["--limit-seed", "7"]);
    assert_eq!(seeded["items"], 5);
    assert_eq!(seeded["metrics"]["acc"]["value"], 1.0, "{seeded}");
    assert_eq!(seeded["config"]["limit_seed"], 7);
    // The first five are not those items; a shard slices the drawn list.
    let first = run(&[]);
    let expected = (0..5).filter(|i| named.contains(i)).count() as f64 / 5.0;
    assert_eq!(first["metrics"]["acc"]["value"], expected);
    assert!(first["config"]["limit_seed"].is_null());
    let shard = run(&["--limit-seed", "7", "--shard", "2/2"]);
    assert_eq!(shard["items"], 3);
    assert_eq!(shard["metrics"]["acc"]["value"], 1.0, "{shard}");
}

#[test]
fn multiple_choice_runs_on_every_architecture() {
    let t = Test::new();
    t.write(
        "work/choice.jsonl",
        "{\"context\": \"the hen\", \"choices\": [\" in the tin\", \" then\"], \"gold\": 0}\n\
         {\"context\": \"the thin\", \"choices\": [\" hen\", \" rest\", \" it\"], \"gold\": 2}\n",
    );
    for &arch in tiny::ARCHS {
        let file = format!("work/{arch}.gguf");
        TinyModel::of(arch, 17).write_gguf(&t.path(&file), tiny::Q8_0, &[]);
        let out = t
            .cmd([
                "eval",
                &file,
                "--task",
                "choice",
                "--data",
                "work/choice.jsonl",
                "--format",
                "json",
            ])
            .success()
            .json();
        let acc = out["metrics"]["acc"]["value"].as_f64();
        assert!(
            acc.is_some_and(|a| (0.0..=1.0).contains(&a)),
            "{arch}: {out}"
        );
    }
}
