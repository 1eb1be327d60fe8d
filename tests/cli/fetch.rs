//! `commons fetch` against the mock Hub on 127.0.0.1, with real model files.

use std::path::{Path, PathBuf};

use crate::support::mock_hub::{
    self, CONTRADICTION, DATASET, GATED, MINILM, MockHub, SMOLLM, TOKEN,
};
use crate::support::models::models_dir;
use crate::support::{Outcome, Test};

fn hub() -> MockHub {
    MockHub::start(&models_dir())
}

fn test(hub: &MockHub) -> Test {
    Test::with_member().env("HF_ENDPOINT", &hub.endpoint)
}

fn cache(t: &Test) -> PathBuf {
    t.home.path().join("hf/hub")
}

fn repo_dir(t: &Test, kind: &str, id: &str) -> PathBuf {
    cache(t).join(format!("{kind}s--{}", id.replace('/', "--")))
}

fn fetch_json(t: &Test, args: &[&str]) -> serde_json::Value {
    let mut all = vec!["fetch", "--format", "json"];
    all.extend_from_slice(args);
    t.cmd(all).success().json()
}

fn manifest(t: &Test, rel: &str) -> serde_yaml::Value {
    serde_yaml::from_str(&t.read(rel)).unwrap()
}

fn origins(report: &serde_json::Value) -> Vec<String> {
    report["files"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["origin"]["kind"].as_str().unwrap().to_owned())
        .collect()
}

fn cdn_requests(hub: &MockHub) -> Vec<mock_hub::Logged> {
    hub.requests()
        .into_iter()
        .filter(|r| r.server == "cdn")
        .collect()
}

/// The failure left nothing in the commons and no bad bytes in the cache.
fn assert_nothing_recorded(t: &Test, out: &Outcome, id: &str) {
    assert!(
        !t.path(&format!("manifests/models/{id}.yaml")).exists(),
        "{}",
        out.stderr()
    );
    assert!(t.git_dirty().is_empty(), "dirty: {:?}", t.git_dirty());
}

#[test]
fn fetches_minilm_into_the_shared_cache_verified_and_drafts_its_manifest() {
    let hub = hub();
    let repo = hub.repo(MINILM).clone();
    let t = test(&hub).env("HF_TOKEN", TOKEN);
    let report = fetch_json(&t, &[MINILM]);

    assert_eq!(report["commit"], repo.commit);
    assert_eq!(report["files"].as_array().unwrap().len(), repo.files.len());
    assert!(origins(&report).iter().all(|o| o == "downloaded"));
    let dir = repo_dir(&t, "model", MINILM);
    assert_eq!(
        std::fs::read_to_string(dir.join("refs/main")).unwrap(),
        repo.commit
    );
    for file in &repo.files {
        let link = dir.join("snapshots").join(&repo.commit).join(&file.path);
        let target =
            std::fs::read_link(&link).unwrap_or_else(|e| panic!("{}: {e}", link.display()));
        assert!(
            target.is_relative() && target.ends_with(Path::new("blobs").join(file.etag())),
            "{target:?}"
        );
        assert_eq!(
            std::fs::read(&link).unwrap(),
            file.bytes.as_ref(),
            "{}",
            file.path
        );
    }
    assert!(std::fs::read_dir(dir.join("blobs")).unwrap().all(|e| {
        !e.unwrap()
            .file_name()
            .to_string_lossy()
            .ends_with(".incomplete")
    }));

    let rel = "manifests/models/sentence-transformers/all-MiniLM-L6-v2.yaml";
    assert_eq!(report["manifest"], rel);
    let m = manifest(&t, rel);
    assert_eq!(m["license"]["expression"], "Apache-2.0");
    assert_eq!(m["license"]["declared"], "apache-2.0");
    assert_eq!(m["source"]["hub"]["revision"], repo.commit.as_str());
    assert_eq!(m["source"]["hub"]["endpoint"], hub.endpoint.as_str());
    let unresolved = m["model"]["unresolved"].as_sequence().unwrap();
    assert_eq!(unresolved.len(), 21, "{unresolved:?}");
    assert!(unresolved.contains(&"trained_on: s2orc".into()));
    assert!(m["model"].get("trained_on").is_none(), "nothing invented");
    let weights = m["files"]
        .as_sequence()
        .unwrap()
        .iter()
        .find(|f| f["path"] == "model.safetensors")
        .unwrap();
    assert_eq!(
        weights["sha256"],
        repo.file("model.safetensors").sha256.as_str()
    );
    assert_eq!(
        weights["size"],
        repo.file("model.safetensors").bytes.len() as u64
    );

    assert!(
        t.git_log()[0].contains("Draft model sentence-transformers/all-MiniLM-L6-v2"),
        "{:?}",
        t.git_log()
    );
    assert!(t.git_dirty().is_empty());
    // The token goes to the Hub, never to the CDN the LFS files redirect to.
    assert!(!cdn_requests(&hub).is_empty());
    assert!(cdn_requests(&hub).iter().all(|r| r.authorization.is_none()));
    assert!(
        hub.requests()
            .iter()
            .filter(|r| r.server == "hub")
            .all(|r| r.authorization.is_some())
    );
}

#[test]
fn a_gguf_with_a_recorded_base_model_references_its_digest() {
    let hub = hub();
    let t = test(&hub);
    let base = "manifests/models/HuggingFaceTB/SmolLM2-135M-Instruct.yaml";
    t.write(
        base,
        "schema: commons/v1\nkind: model\nid: HuggingFaceTB/SmolLM2-135M-Instruct\nlicense:\n  expression: Apache-2.0\n",
    );
    let report = fetch_json(&t, &[SMOLLM]);
    assert_eq!(report["license"], "Apache-2.0");
    let m = manifest(
        &t,
        "manifests/models/commons-test/SmolLM2-135M-Instruct-GGUF.yaml",
    );
    let up = &m["model"]["derived_from"][0];
    assert_eq!(up["id"], "HuggingFaceTB/SmolLM2-135M-Instruct");
    assert_eq!(up["relation"], "quantization");
    assert_eq!(
        up["digest"],
        crate::support::sha256_hex(t.read(base).as_bytes()).as_str()
    );
    assert_eq!(m["model"]["format"], "gguf");
    assert!(m["model"].get("unresolved").is_none());
}

#[test]
fn an_unrecorded_base_model_is_listed_unresolved() {
    let hub = hub();
    let t = test(&hub);
    t.cmd(["fetch", SMOLLM])
        .success()
        .stdout_has("1 reference(s) not in this commons");
    let m = manifest(
        &t,
        "manifests/models/commons-test/SmolLM2-135M-Instruct-GGUF.yaml",
    );
    assert_eq!(
        m["model"]["unresolved"][0],
        "derived_from: HuggingFaceTB/SmolLM2-135M-Instruct (quantization)"
    );
    assert!(m["model"].get("derived_from").is_none());
}

#[test]
fn a_second_fetch_reuses_and_reverifies_the_cache() {
    let hub = hub();
    hub.page_size(4);
    let t = test(&hub);
    fetch_json(&t, &[MINILM]);
    let before = cdn_requests(&hub).len();
    let again = fetch_json(&t, &[MINILM]);
    assert!(origins(&again).iter().all(|o| o == "cached"), "{again}");
    assert_eq!(cdn_requests(&hub).len(), before, "nothing downloaded again");
    assert_eq!(again["committed"], false);
    assert!(
        hub.requests().iter().any(|r| r.path.contains("cursor=")),
        "the listing was paginated"
    );

    // A blob damaged on disk is noticed and fetched again.
    let repo = hub.repo(MINILM);
    let blob = repo_dir(&t, "model", MINILM)
        .join("blobs")
        .join(repo.file("model.safetensors").etag());
    let mut bytes = std::fs::read(&blob).unwrap();
    bytes[1000] ^= 1;
    std::fs::write(&blob, bytes).unwrap();
    let healed = fetch_json(&t, &[MINILM]);
    let weights = healed["files"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["path"] == "model.safetensors")
        .unwrap();
    assert_eq!(weights["origin"]["kind"], "downloaded");
    assert_eq!(
        crate::support::sha256_hex(&std::fs::read(&blob).unwrap()),
        repo.file("model.safetensors").sha256
    );
}

#[test]
fn offline_mode_uses_only_the_cache() {
    let hub = hub();
    let t = test(&hub);
    let out = t.cmd(["fetch", MINILM, "--offline"]).code(2);
    assert!(
        out.stderr().contains("offline mode") && out.stderr().contains("not in the cache"),
        "{}",
        out.stderr()
    );
    assert!(hub.requests().is_empty());
    let t = t.env("HF_HUB_OFFLINE", "1");
    t.cmd(["fetch", MINILM])
        .code(2)
        .stderr_has("fetch it once online");
    assert_nothing_recorded(&t, &out, MINILM);

    let online = test(&hub);
    fetch_json(&online, &[SMOLLM]);
    let seen = hub.requests().len();
    let offline = fetch_json(&online.env("HF_HUB_OFFLINE", "1"), &[SMOLLM]);
    assert_eq!(offline["offline"], true);
    assert!(origins(&offline).iter().all(|o| o == "cached"));
    assert_eq!(offline["committed"], false, "same draft as online");
    assert_eq!(hub.requests().len(), seen, "no request while offline");
}

#[test]
fn unknown_repository_revision_and_file_say_so() {
    let hub = hub();
    let t = test(&hub);
    let out = t.cmd(["fetch", "nobody/nothing"]).code(2);
    assert!(
        out.stderr()
            .contains("repository `nobody/nothing` not found")
            && out.stderr().contains("RepoNotFound"),
        "{}",
        out.stderr()
    );
    assert_nothing_recorded(&t, &out, "nobody/nothing");

    t.cmd(["fetch", MINILM, "--revision", "v9"])
        .code(2)
        .stderr_has("revision `v9` not found")
        .stderr_has("RevisionNotFound");

    hub.missing("config.json");
    let out = t.cmd(["fetch", MINILM]).code(2);
    assert!(
        out.stderr().contains("`config.json` not found") && out.stderr().contains("EntryNotFound"),
        "{}",
        out.stderr()
    );
    assert_nothing_recorded(&t, &out, MINILM);
}

#[test]
fn a_gated_repository_needs_a_token() {
    let hub = hub();
    let t = test(&hub);
    let out = t.cmd(["fetch", GATED]).code(2);
    assert!(
        out.stderr().contains("is gated") && out.stderr().contains("HF_TOKEN"),
        "{}",
        out.stderr()
    );
    assert_nothing_recorded(&t, &out, GATED);

    let with_env = test(&hub).env("HF_TOKEN", TOKEN);
    let report = fetch_json(&with_env, &[GATED]);
    assert_eq!(report["license"], "LicenseRef-llama3.1");

    let with_file = test(&hub);
    std::fs::create_dir_all(with_file.home.path().join("hf")).unwrap();
    std::fs::write(with_file.home.path().join("hf/token"), format!("{TOKEN}\n")).unwrap();
    fetch_json(&with_file, &[GATED]);
}

#[test]
fn a_server_error_is_never_written_as_the_file() {
    let hub = hub();
    let t = test(&hub);
    hub.fail("config.json", 500, None);
    let out = t.cmd(["fetch", MINILM]).code(2);
    assert!(
        out.stderr().contains("HTTP 500") && out.stderr().contains("config.json"),
        "{}",
        out.stderr()
    );
    assert!(out.stderr().contains("Retrying"), "{}", out.stderr());
    let blobs = repo_dir(&t, "model", MINILM).join("blobs");
    let config = hub.repo(MINILM).file("config.json").etag().to_owned();
    assert!(!blobs.join(&config).exists());
    assert!(!blobs.join(format!("{config}.incomplete")).exists());
    assert_nothing_recorded(&t, &out, MINILM);

    // A passing failure is retried.
    hub.heal();
    hub.fail("config.json", 503, Some(2));
    fetch_json(&t, &[MINILM]);
}

#[test]
fn a_truncated_body_is_kept_aside_then_resumed() {
    let hub = hub();
    let t = test(&hub);
    let repo = hub.repo(MINILM).clone();
    let weights = repo.file("model.safetensors");
    let cut = 10 * 1024 * 1024;
    hub.truncate("model.safetensors", cut);
    let out = t.cmd(["fetch", MINILM]).code(2);
    assert!(
        out.stderr().contains("stopped after") && out.stderr().contains("resumes"),
        "{}",
        out.stderr()
    );
    let blobs = repo_dir(&t, "model", MINILM).join("blobs");
    assert!(!blobs.join(weights.etag()).exists(), "no truncated blob");
    let partial = blobs.join(format!("{}.incomplete", weights.etag()));
    let kept = std::fs::metadata(&partial).unwrap().len();
    assert!(kept > 0 && kept <= cut, "{kept}");
    assert_nothing_recorded(&t, &out, MINILM);

    hub.heal();
    let report = fetch_json(&t, &[MINILM]);
    let entry = report["files"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["path"] == "model.safetensors")
        .unwrap();
    assert_eq!(entry["origin"]["kind"], "resumed");
    assert_eq!(entry["origin"]["from"], kept);
    let range = format!("bytes={kept}-");
    assert!(
        cdn_requests(&hub)
            .iter()
            .any(|r| r.range.as_deref() == Some(range.as_str()))
    );
    assert_eq!(
        crate::support::sha256_hex(&std::fs::read(blobs.join(weights.etag())).unwrap()),
        weights.sha256
    );
    assert!(!partial.exists());
}

#[test]
fn verify_finds_a_fetched_model_in_the_cache_without_files() {
    let hub = hub();
    let t = test(&hub);
    fetch_json(&t, &[SMOLLM]);
    t.cmd(["sign", "--all"]).success();
    let ok = t.cmd(["verify", "--format", "json"]).success().json();
    assert_eq!(ok["summary"]["errors"], 0, "{ok}");
    // Flip one byte of the cached weights: verify (still without --files)
    // names the file.
    let gguf = "SmolLM2-135M-Instruct.Q4_1.gguf";
    let blob = repo_dir(&t, "model", SMOLLM)
        .join("blobs")
        .join(hub.repo(SMOLLM).file(gguf).etag());
    let mut bytes = std::fs::read(&blob).unwrap();
    let at = bytes.len() / 2;
    bytes[at] ^= 1;
    std::fs::write(&blob, bytes).unwrap();
    t.cmd(["verify"])
        .code(1)
        .stdout_has("file-modified")
        .stdout_has(gguf);
}

#[test]
fn bytes_that_do_not_match_the_hub_are_discarded() {
    let hub = hub();
    let repo = hub.repo(MINILM).clone();
    for (path, algorithm) in [
        ("model.safetensors", "LFS sha256"),
        ("vocab.txt", "git blob sha1"),
    ] {
        // A fresh cache each time: the other files of the first run stay cached.
        let t = test(&hub);
        let blobs = repo_dir(&t, "model", MINILM).join("blobs");
        hub.heal();
        hub.corrupt(path);
        let out = t.cmd(["fetch", MINILM]).code(2);
        assert!(
            out.stderr()
                .contains(&format!("do not match the Hub's {algorithm}")),
            "{}",
            out.stderr()
        );
        let etag = repo.file(path).etag();
        assert!(!blobs.join(etag).exists());
        assert!(!blobs.join(format!("{etag}.incomplete")).exists());
        assert_nothing_recorded(&t, &out, MINILM);
    }
}

#[test]
fn the_server_going_away_mid_file_then_coming_back_resumes() {
    let hub = hub();
    let t = test(&hub);
    let gguf = "SmolLM2-135M-Instruct.Q4_1.gguf";
    let file = hub.repo(SMOLLM).file(gguf).clone();
    hub.go_away(gguf, 20 * 1024 * 1024);
    let out = t.cmd(["fetch", SMOLLM]).code(2);
    assert!(out.stderr().contains("stopped after"), "{}", out.stderr());
    assert!(!hub.cdn_running(), "the CDN went away");
    let blobs = repo_dir(&t, "model", SMOLLM).join("blobs");
    let kept = std::fs::metadata(blobs.join(format!("{}.incomplete", file.etag())))
        .unwrap()
        .len();
    assert!(kept > 0);

    hub.heal();
    hub.restart_cdn();
    let report = fetch_json(&t, &[SMOLLM]);
    let entry = report["files"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["path"] == gguf)
        .unwrap();
    assert_eq!(entry["origin"]["from"], kept);
    assert_eq!(entry["sha256"], file.sha256.as_str());
    assert_eq!(
        crate::support::sha256_hex(&std::fs::read(blobs.join(file.etag())).unwrap()),
        file.sha256
    );
}

#[test]
fn a_card_that_contradicts_itself_is_reported() {
    let hub = hub();
    let t = test(&hub);
    let out = t.cmd(["fetch", CONTRADICTION]).success();
    let stderr = out.stderr();
    assert!(
        stderr.contains("`license: other` but gives no `license_name`"),
        "{stderr}"
    );
    assert!(stderr.contains("names no `base_model`"), "{stderr}");
    out.stdout_has("none (see warnings)");
    let m = manifest(&t, "manifests/models/commons-test/contradicting-card.yaml");
    assert!(m.get("license").is_none(), "no license invented");
}

#[test]
fn include_and_exclude_choose_files_and_the_card_always_comes() {
    let hub = hub();
    let t = test(&hub);
    let report = fetch_json(
        &t,
        &[MINILM, "--include", "*.json", "--exclude", "tokenizer*"],
    );
    let paths: Vec<&str> = report["files"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["path"].as_str().unwrap())
        .collect();
    assert!(
        paths.contains(&"README.md") && paths.contains(&"1_Pooling/config.json"),
        "{paths:?}"
    );
    assert!(
        paths
            .iter()
            .all(|p| *p == "README.md" || (p.ends_with(".json") && !p.starts_with("tokenizer"))),
        "{paths:?}"
    );
    assert!(cdn_requests(&hub).is_empty(), "the weights were left out");

    t.cmd(["fetch", MINILM, "--include", "*.bin", "--force"])
        .code(2)
        .stderr_has("no file matches --include *.bin");
}

#[test]
fn an_existing_different_manifest_is_kept_unless_forced() {
    let hub = hub();
    let t = test(&hub);
    fetch_json(&t, &[MINILM, "--include", "*.json"]);
    t.cmd(["fetch", MINILM]).code(2).stderr_has("pass --force");
    let report = fetch_json(&t, &[MINILM, "--force"]);
    assert_eq!(report["committed"], true);
    assert!(t.git_dirty().is_empty());
}

#[test]
fn a_dataset_is_fetched_into_the_datasets_cache_and_recorded() {
    let hub = hub();
    let t = test(&hub);
    let report = fetch_json(&t, &["--dataset", DATASET]);
    assert_eq!(report["kind"], "dataset");
    assert!(
        repo_dir(&t, "dataset", DATASET)
            .join("snapshots")
            .join(&hub.repo(DATASET).commit)
            .join("data/train.jsonl")
            .exists()
    );
    let m = manifest(&t, "manifests/datasets/commons-test/tiny-sts.yaml");
    assert_eq!(m["license"]["expression"], "CC-BY-SA-4.0");
    assert_eq!(m["dataset"]["languages"][0], "en");
    assert_eq!(m["title"], "Tiny STS");
    assert_eq!(m["source"]["hub"]["repo_type"], "dataset");
}

#[test]
fn no_record_downloads_outside_a_commons_and_bad_ids_are_usage_errors() {
    let hub = hub();
    let t = Test::new().env("HF_ENDPOINT", &hub.endpoint);
    let report = fetch_json(&t, &["--no-record", SMOLLM]);
    assert_eq!(report["manifest"], serde_json::Value::Null);
    t.cmd(["fetch", SMOLLM])
        .code(2)
        .stderr_has("not inside a commons");
    t.cmd(["fetch", "--no-record", "../etc"])
        .code(2)
        .stderr_has("org/name");
}

#[test]
fn the_reference_page_examples_run() {
    let hub = hub();
    let home = tempfile::tempdir().unwrap();
    trycmd::TestCases::new()
        .register_bin("commons", Path::new(env!("CARGO_BIN_EXE_commons")))
        .env("HF_ENDPOINT", &hub.endpoint)
        .env("HF_HOME", home.path().join("hf").display().to_string())
        .env("HOME", home.path().display().to_string())
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("COMMONS_DIR", ".")
        .insert_var("[HUB]", hub.endpoint.clone())
        .unwrap()
        .insert_var("[HFHOME]", home.path().join("hf").display().to_string())
        .unwrap()
        .case(Path::new(env!("CARGO_MANIFEST_DIR")).join("commands/fetch.md"));
}
