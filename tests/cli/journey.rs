//! Journeys: the README's flows run end to end as a user would, with the
//! real models served by the mock Hub, in real git repositories.

use std::path::PathBuf;

use crate::eval::GEMMA3_CHUNKED_PPL;
use crate::run::{GEMMA3_GREEDY, GEMMA3_PROMPT};
use crate::support::mock_hub::{GEMMA, MINILM, MockHub, SMOLLM};
use crate::support::models::{data_dir, models_dir};
use crate::support::{Outcome, Test};

fn hub() -> MockHub {
    MockHub::start(&models_dir())
}

/// The snapshot folder of a fetched model in the test's Hugging Face cache.
fn snapshot(t: &Test, hub: &MockHub, id: &str) -> PathBuf {
    t.home
        .path()
        .join("hf/hub")
        .join(format!("models--{}", id.replace('/', "--")))
        .join("snapshots")
        .join(&hub.repo(id).commit)
}

fn data(rel: &str) -> String {
    data_dir().join(rel).to_str().unwrap().to_owned()
}

#[test]
fn a_fetched_model_is_evaluated_run_and_verified_from_the_hugging_face_cache() {
    let hub = hub();
    let t = Test::with_member().env("HF_ENDPOINT", &hub.endpoint);
    t.cmd(["fetch", SMOLLM]).success();
    t.cmd(["fetch", MINILM]).success();

    let eval = t
        .cmd([
            "eval",
            SMOLLM,
            "--task",
            "arc-easy",
            "--data",
            &data("arc_easy/arc_easy.llmfoundry.jsonl"),
            "--limit",
            "3",
            "--format",
            "json",
        ])
        .success()
        .stderr_has("Verified")
        .json();
    assert_eq!(eval["items"], 3);
    assert!(
        t.git_log()[0].starts_with(&format!("Record eval arc-easy of {SMOLLM}")),
        "{:?}",
        t.git_log()
    );

    t.cmd(["run", SMOLLM, "-p", "The capital of France is", "-n", "4"])
        .success()
        .stderr_has("Verified");
    let embedded = t.cmd(["run", MINILM, "--embed", "x"]).success().json();
    assert_eq!(embedded.as_array().map(Vec::len), Some(384));

    t.cmd(["sign", "--all"]).success();
    for id in [SMOLLM, MINILM] {
        let dir = snapshot(&t, &hub, id);
        let files = dir.to_str().unwrap();
        let out = t
            .cmd(["verify", id, "--files", files, "--format", "json"])
            .success();
        assert!(out.rules().is_empty(), "{id}: {:?}", out.rules());
        t.cmd(["verify", id, "--strict"]).success();
    }
}

#[test]
fn a_fetched_gemma_gguf_runs_as_llama_cpp_does_and_is_evaluated() {
    // The Q4_K_M repository as people download it: one GGUF file and the
    // upstream card, under the Gemma terms, quantized from google/gemma-3-270m.
    let hub = MockHub::with_gemma(&models_dir());
    let t = Test::with_member().env("HF_ENDPOINT", &hub.endpoint);
    let fetched = t.cmd(["fetch", GEMMA, "--format", "json"]).success().json();
    assert_eq!(fetched["license"], "LicenseRef-gemma", "{fetched}");
    assert_eq!(
        fetched["unresolved"],
        serde_json::json!(["derived_from: google/gemma-3-270m (quantization)"]),
        "{fetched}"
    );
    let gguf = hub.repo(GEMMA).file("gemma-3-270m-q4_k_m.gguf");
    let listed = fetched["files"].as_array().unwrap();
    assert!(
        listed
            .iter()
            .any(|f| f["path"] == gguf.path.as_str() && f["sha256"] == gguf.sha256.as_str()),
        "{fetched}"
    );

    // Run by its id: the files are verified, the GGUF is found among them,
    // and greedy decoding says what llama.cpp says (eleven tokens, as in run.rs).
    let out = t
        .cmd([
            "run",
            GEMMA,
            "--prompt",
            GEMMA3_PROMPT,
            "-n",
            "11",
            "--temperature",
            "0",
        ])
        .success()
        .stderr_has("Verified 2 files")
        .stderr_has("Q4_K_M");
    assert_eq!(
        out.stdout().trim_end_matches('\n'),
        GEMMA3_GREEDY.trim_end_matches(" largest")
    );

    // Perplexity by its id is the figure measured on the file itself, and
    // is recorded as an eval of the fetched model.
    let eval = t
        .cmd([
            "eval",
            GEMMA,
            "--task",
            "perplexity",
            "--chunked",
            "--ctx",
            "512",
            "--limit",
            "2",
            "--data",
            &data("wikitext2/wiki.test.raw"),
            "--format",
            "json",
        ])
        .success()
        .stderr_has("Verified")
        .json();
    let ppl = eval["metrics"]["perplexity"]["value"].as_f64().unwrap();
    assert!(
        (ppl / GEMMA3_CHUNKED_PPL - 1.0).abs() < 0.01,
        "perplexity {ppl}, full precision {GEMMA3_CHUNKED_PPL}"
    );
    assert!(
        t.git_log()[0].starts_with(&format!("Record eval perplexity-chunked of {GEMMA}")),
        "{:?}",
        t.git_log()
    );

    // Multiple choice on it too.
    let arc = t
        .cmd([
            "eval",
            GEMMA,
            "--task",
            "arc-easy",
            "--data",
            &data("arc_easy/arc_easy.llmfoundry.jsonl"),
            "--limit",
            "3",
            "--format",
            "json",
        ])
        .success()
        .json();
    assert_eq!(arc["items"], 3, "{arc}");

    // Signed, the record and the cached files verify.
    t.cmd(["sign", "--all"]).success();
    // check cannot walk the lineage past the card's base model, which this
    // commons has not recorded, and says which record to fetch.
    let check = t.cmd(["check", GEMMA, "--format", "json"]).code(1).json();
    let findings = check["findings"].as_array().unwrap();
    assert_eq!(findings.len(), 1, "{check}");
    assert_eq!(findings[0]["rule"], "missing-provenance", "{check}");
    assert!(
        findings[0]["fix"]
            .as_str()
            .unwrap()
            .starts_with("record or fetch `google/gemma-3-270m`, then"),
        "{check}"
    );
    let dir = snapshot(&t, &hub, GEMMA);
    let out = t
        .cmd([
            "verify",
            GEMMA,
            "--files",
            dir.to_str().unwrap(),
            "--format",
            "json",
        ])
        .success();
    assert!(out.rules().is_empty(), "{:?}", out.rules());
}

/// One clone of a shared commons, and the key folder of who works in it.
struct Checkout<'a> {
    t: &'a Test,
    dir: PathBuf,
    keys: &'static str,
}

impl Checkout<'_> {
    fn cmd(&self, args: &[&str]) -> Outcome {
        let mut all = vec!["-C", self.dir.to_str().unwrap()];
        all.extend_from_slice(args);
        self.t.cmd_as(self.keys, all)
    }

    fn git(&self, args: &[&str]) -> String {
        self.t.git_in(&self.dir, args)
    }

    fn path(&self, rel: &str) -> String {
        self.dir.join(rel).to_str().unwrap().to_owned()
    }

    fn write(&self, rel: &str, contents: &str) {
        let p = self.dir.join(rel);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, contents).unwrap();
    }

    /// `eval` of the fetched SmolLM2 on a few ARC-Easy questions; the id.
    fn eval_shard(&self, shard: &str) -> String {
        let out = self
            .cmd(&[
                "eval",
                SMOLLM,
                "--task",
                "arc-easy",
                "--data",
                &data("arc_easy/arc_easy.llmfoundry.jsonl"),
                "--limit",
                "4",
                "--shard",
                shard,
                "--format",
                "json",
            ])
            .success()
            .stderr_has("Verified")
            .json();
        assert_eq!(out["items"], 2, "{out}");
        out["id"].as_str().unwrap().to_owned()
    }
}

/// The errors and warnings of `verify --format json` with `extra`
/// arguments, as (rule, id) pairs.
fn problems(c: &Checkout, extra: &[&str]) -> Vec<(String, String)> {
    let mut args = vec!["verify", "--format", "json"];
    args.extend_from_slice(extra);
    let out = c.cmd(&args);
    let mut found: Vec<(String, String)> = out.json()["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .filter(|f| f["severity"] != "note")
        .map(|f| {
            let id = f["id"].as_str().or(f["file"].as_str()).unwrap_or_default();
            (f["rule"].as_str().unwrap().to_owned(), id.to_owned())
        })
        .collect();
    found.sort();
    found
}

#[test]
fn two_members_fetch_record_sign_evaluate_in_shards_and_merge_across_clones() {
    let hub = hub();
    let t = Test::new().env("HF_ENDPOINT", &hub.endpoint);
    let home = t.home.path();
    let alice = Checkout {
        t: &t,
        dir: t.dir.clone(),
        keys: "alice-keys",
    };

    // alice founds the commons and shares it through a bare repository.
    alice.cmd(&["init", "--name", "Journey Commons"]).success();
    alice
        .cmd(&["key", "generate", "--name", "alice", "--no-password"])
        .success()
        .stderr_has("Accepted governance version 1");
    let branch = alice.git(&["symbolic-ref", "--short", "HEAD"]);
    let origin = home.join("origin.git");
    let origin_s = origin.to_str().unwrap();
    t.git_in(
        home,
        &[
            "init",
            "-q",
            "--bare",
            "--initial-branch",
            branch.trim(),
            origin_s,
        ],
    );
    alice.git(&["remote", "add", "origin", origin_s]);
    alice.git(&["push", "-q", "-u", "origin", branch.trim()]);

    // bob clones it and asks to join with a key of his own; alice accepts
    // him, then proposes a quorum of two, which her signature carries.
    let bob_dir = home.join("bob");
    t.git_in(home, &["clone", "-q", origin_s, bob_dir.to_str().unwrap()]);
    let bob = Checkout {
        t: &t,
        dir: bob_dir,
        keys: "bob-keys",
    };
    bob.cmd(&["key", "generate", "--name", "bob", "--no-password"])
        .success()
        .stderr_has("Proposed");
    bob.git(&["push", "-q"]);
    alice.git(&["pull", "-q", "--rebase"]);
    alice
        .cmd(&["governance", "sign"])
        .success()
        .stderr_has("Accepted");
    alice
        .cmd(&["policy", "set", "quorum", "2"])
        .success()
        .stderr_has("Accepted");

    // alice fetches the base model and an encoder, and records a dataset
    // she collected and the fine-tune she made from SmolLM2 on it.
    alice.cmd(&["fetch", SMOLLM]).success();
    alice.cmd(&["fetch", MINILM]).success();
    alice.write(
        "work/chat/train.jsonl",
        "{\"messages\": [{\"role\": \"user\", \"content\": \"Hello\"}]}\n",
    );
    alice.write(
        "work/ft/adapter_config.json",
        "{\"base_model_name_or_path\": \"HuggingFaceTB/SmolLM2-135M-Instruct\", \"r\": 8}\n",
    );
    alice.write("work/ft/NOTICE", "Built on SmolLM2 by Hugging Face.\n");
    alice.write(
        "work/ft/LICENSE",
        "Apache License\nVersion 2.0, January 2004\nhttp://www.apache.org/licenses/\n",
    );
    alice
        .cmd(&[
            "record",
            "dataset",
            "lab/chat-mix",
            "--license",
            "CC-BY-4.0",
            "--files",
            &alice.path("work/chat"),
            "--source-local",
            "conversations written by the lab",
            "--notice",
            "Chat mix by the lab, CC BY 4.0",
        ])
        .success();
    alice
        .cmd(&[
            "record",
            "model",
            "lab/smollm2-chat",
            "--license",
            "Apache-2.0",
            "--files",
            &alice.path("work/ft"),
            "--source-local",
            "LoRA fine-tune of SmolLM2-135M-Instruct on lab/chat-mix",
            "--license-file",
            "LICENSE",
            "--derived-from",
            &format!("{SMOLLM}:fine-tune"),
            "--trained-on",
            "lab/chat-mix",
            "--notice",
            "Built on SmolLM2 by Hugging Face.",
            "--notice",
            "Chat mix by the lab, CC BY 4.0",
        ])
        .success();

    // Both sign everything; one signature is not enough under quorum 2.
    alice.cmd(&["sign", "--all"]).success();
    let no_files = ["--no-files"];
    assert!(
        problems(&alice, &no_files)
            .iter()
            .all(|(rule, _)| rule == "quorum-not-met"),
        "{:?}",
        problems(&alice, &no_files)
    );
    alice.git(&["push", "-q"]);
    bob.git(&["pull", "-q", "--rebase"]);
    bob.cmd(&["sign", "--all"]).success();
    bob.git(&["push", "-q"]);
    alice.git(&["pull", "-q", "--rebase"]);

    // verify, with each local record's folder named by id, in every format.
    let chat = format!("lab/chat-mix={}", alice.path("work/chat"));
    let ft = format!("lab/smollm2-chat={}", alice.path("work/ft"));
    let folders = ["--files", chat.as_str(), "--files", ft.as_str()];
    let mut strict = vec!["verify", "--strict"];
    strict.extend_from_slice(&folders);
    alice
        .cmd(&strict)
        .success()
        .stdout_has("0 error(s), 0 warning(s)");
    let mut json = vec!["verify", "--format", "json"];
    json.extend_from_slice(&folders);
    let report = alice.cmd(&json).success().json();
    assert_eq!(report["findings"], serde_json::json!([]), "{report}");
    assert_eq!(report["summary"]["files_not_checked"], 0, "{report}");
    assert_eq!(report["summary"]["subjects"], 4, "{report}");
    let mut sarif = vec!["verify", "--format", "sarif"];
    sarif.extend_from_slice(&folders);
    let sarif = alice.cmd(&sarif).success().json();
    assert_eq!(sarif["version"], "2.1.0");
    assert_eq!(
        sarif["runs"][0]["results"],
        serde_json::json!([]),
        "{sarif}"
    );
    // check walks the lineage: the fine-tune honours its base's and its
    // data's licenses; what it reports is the fetched card's own upstream,
    // which this commons has not recorded.
    let check = alice
        .cmd(&["check", "lab/smollm2-chat", "--format", "json"])
        .code(1);
    let findings = check.json()["findings"].clone();
    let found: Vec<(&str, &str)> = findings
        .as_array()
        .unwrap()
        .iter()
        .map(|f| (f["rule"].as_str().unwrap(), f["id"].as_str().unwrap()))
        .collect();
    assert_eq!(found, [("missing-provenance", SMOLLM)], "{findings}");

    // Each evaluates one shard on their own clone; bob's push must wait
    // for alice's shard.
    let first = alice.eval_shard("1/2");
    let second = bob.eval_shard("2/2");
    alice.git(&["push", "-q"]);
    let refused = t.git_command(&bob.dir, &["push", "-q"]).output().unwrap();
    assert!(
        !refused.status.success(),
        "bob's push is not a fast-forward"
    );
    bob.git(&["pull", "-q", "--rebase"]);
    bob.git(&["push", "-q"]);
    alice.git(&["pull", "-q", "--rebase"]);

    // alice merges them, signing the result: the shards are folded away in
    // the same commit, and the result waits for one more signature only.
    let merged = alice
        .cmd(&[
            "eval",
            "merge",
            &first,
            &second,
            "--allow-unsigned",
            "--sign",
            "--format",
            "json",
        ])
        .success()
        .stderr_has("Folded")
        .json();
    let merged_id = merged["id"].as_str().unwrap().to_owned();
    assert_eq!(merged["eval"]["items"], 4);
    assert_eq!(merged["eval"]["merged_from"][0]["id"], first.as_str());
    assert_eq!(merged["eval"]["merged_from"][1]["id"], second.as_str());
    let shard_file = |c: &Checkout, id: &str| c.dir.join(format!("manifests/evals/{id}.yaml"));
    assert!(!shard_file(&alice, &first).exists());
    assert!(!shard_file(&alice, &second).exists());
    let dirty = alice.git(&["status", "--porcelain", "--", "manifests", "snapshot.yaml"]);
    assert!(dirty.trim().is_empty(), "{dirty}");
    assert_eq!(
        problems(&alice, &no_files),
        [("quorum-not-met".to_owned(), merged_id.clone())]
    );
    alice.git(&["push", "-q"]);
    bob.git(&["pull", "-q", "--rebase"]);
    assert!(!shard_file(&bob, &first).exists());
    bob.cmd(&["sign", &merged_id]).success();
    // bob's verify merges the shards again from the history he pulled.
    bob.cmd(&["verify", "--no-files", "--strict"]).success();
    bob.git(&["push", "-q"]);
    alice.git(&["pull", "-q", "--rebase"]);
    alice.cmd(&strict).success();

    // Run and embed on the fetched models, from the Hugging Face cache.
    alice
        .cmd(&["run", SMOLLM, "-p", "The capital of France is", "-n", "4"])
        .success()
        .stderr_has("Verified");
    let embedded = alice.cmd(&["run", MINILM, "--embed", "x"]).success().json();
    assert_eq!(embedded.as_array().map(Vec::len), Some(384));
    assert!(snapshot(&t, &hub, SMOLLM).is_dir());
}
