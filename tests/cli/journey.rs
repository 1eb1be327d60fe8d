//! Journeys: the README's flows run end to end as a user would, with the
//! real models served by the mock Hub, in real git repositories.

use std::path::PathBuf;

use crate::support::Test;
use crate::support::mock_hub::{MINILM, MockHub, SMOLLM};
use crate::support::models::{data_dir, models_dir};

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
    assert_eq!(embedded["dimensions"], 384);

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
