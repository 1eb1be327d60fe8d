//! Signed governance, snapshots and the pinned root, tried as an attacker
//! who can push to the repository but holds no member's secret key would
//! try them, and the honest path (proposal → signatures → accepted).

use std::process::Command;

use crate::support::Test;

/// A commons founded by alice, with a dataset she recorded and signed.
fn founded() -> Test {
    let t = Test::with_member();
    t.write("work/data/train.jsonl", "{\"text\": \"hello\"}\n");
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
    t.cmd(["sign", "--all"]).success();
    t
}

/// `founded`, plus bob and carol (each with a key folder of their own),
/// a membership threshold of 2 and a quorum of 2, all accepted.
fn cooperative() -> Test {
    let t = founded();
    for name in ["bob", "carol"] {
        t.cmd_as(name, ["key", "generate", "--name", name, "--no-password"])
            .success()
            .stderr_has("Proposed");
        t.cmd(["governance", "sign"])
            .success()
            .stderr_has("Accepted");
    }
    // One member could still decide alone; from now on two must.
    t.cmd(["policy", "set", "membership-threshold", "2"])
        .success()
        .stderr_has("Accepted");
    t.cmd(["policy", "set", "quorum", "2"])
        .success()
        .stderr_has("1 of 2 required");
    t.cmd_as("carol", ["governance", "sign"])
        .success()
        .stderr_has("Accepted");
    t.cmd_as("bob", ["sign", "lab/corpus"]).success();
    t.cmd(["verify", "--no-files"]).success();
    t
}

pub(crate) fn mallory_key(t: &Test) -> (std::path::PathBuf, std::path::PathBuf) {
    let dir = t.home.path().join("mallory");
    std::fs::create_dir_all(&dir).unwrap();
    let out = Command::new("minisign")
        .args(["-G", "-W", "-p", "mallory.pub", "-s", "mallory.key", "-f"])
        .current_dir(&dir)
        .output()
        .expect("the minisign tool (Debian package `minisign`)");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    (dir.join("mallory.pub"), dir.join("mallory.key"))
}

/// Signs `rel` with the minisign tool and a trusted comment that binds it
/// like commons does, as an attacker would.
pub(crate) fn minisign_sign(
    t: &Test,
    key: &std::path::Path,
    rel: &str,
    sig_rel: &str,
    comment: &str,
) {
    let out = Command::new("minisign")
        .args(["-S", "-s"])
        .arg(key)
        .args(["-m", rel, "-x", sig_rel, "-t", comment])
        .current_dir(&t.dir)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

pub(crate) fn sha256(t: &Test, rel: &str) -> String {
    use sha2::Digest;
    hex::encode(sha2::Sha256::digest(std::fs::read(t.path(rel)).unwrap()))
}

/// Records a second dataset, unsigned.
fn record_d2(t: &Test) {
    t.write("work/d2/x.txt", "x");
    t.cmd([
        "record",
        "dataset",
        "lab/d2",
        "--license",
        "MIT",
        "--files",
        "work/d2",
        "--source-local",
        "typed",
    ])
    .success();
}

#[test]
fn honest_path_proposal_signatures_accepted() {
    let t = founded();
    // The clone that founded the commons pinned its root; a fresh clone
    // pins it on first use and says so.
    assert!(t.path(".git/commons/pins.yaml").is_file());
    t.cmd(["verify", "--no-files", "--strict"]).success();
    let clone = t.home.path().join("clone");
    t.git(&["clone", "-q", ".", clone.to_str().unwrap()]);
    t.cmd(["-C", clone.to_str().unwrap(), "verify", "--no-files"])
        .success()
        .stdout_has("governance-root-pinned");
    // bob, on his own machine, asks to join: his key proves itself, the
    // proposal waits for alice.
    t.cmd_as("bob", ["key", "generate", "--name", "bob", "--no-password"])
        .success()
        .stderr_has("Proposed");
    let out = t
        .cmd(["verify", "--no-files", "--format", "json"])
        .success();
    assert_eq!(out.rules(), ["governance-pending"]);
    assert!(t.read("governance/0002.yaml").contains("name: bob"));
    assert!(!t.read("commons.yaml").contains("name: bob"));
    t.cmd_as("bob", ["sign", "--as", "bob", "lab/corpus"])
        .code(2)
        .stderr_has("not a member");
    t.cmd(["governance", "sign"])
        .success()
        .stderr_has("Accepted");
    assert!(t.read("commons.yaml").contains("name: bob"));
    t.cmd_as("bob", ["sign", "lab/corpus"]).success();
    t.cmd(["verify", "--no-files", "--strict"]).success();
    let log = t
        .cmd(["governance", "log", "--format", "json"])
        .success()
        .json();
    let v = &log["versions"];
    assert_eq!(v[0]["status"], "accepted");
    assert_eq!(v[1]["status"], "accepted");
    assert_eq!(v[1]["approved_by"], serde_json::json!(["alice"]));
    assert!(
        v[1]["changes"][0]
            .as_str()
            .unwrap()
            .starts_with("add member bob"),
        "{log}"
    );
    assert!(t.git_dirty().is_empty(), "{:?}", t.git_dirty());
}

#[test]
fn governance_signature_verifies_with_the_minisign_tool() {
    let t = founded();
    let sig = std::fs::read_dir(t.path("governance"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .find(|n| n.starts_with("0001.yaml.alice.") && n.ends_with(".minisig"))
        .expect("alice's signature of version 1");
    let out = Command::new("minisign")
        .args(["-V", "-m", "governance/0001.yaml", "-x"])
        .arg(format!("governance/{sig}"))
        .args(["-p", "keys/alice.pub"])
        .current_dir(&t.dir)
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{text}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        text.contains("commons-governance") || text.contains("kind=governance"),
        "{text}"
    );
}

#[test]
fn push_without_a_key_cannot_take_the_commons_over() {
    let t = founded();
    t.cmd(["verify", "--no-files"]).success();
    // mallory joins by herself, revokes alice, edits a record, signs it with
    // her own key and deletes alice's signature.
    t.cmd_as(
        "mallory",
        ["key", "generate", "--name", "mallory", "--no-password"],
    )
    .success();
    t.cmd_as("mallory", ["key", "revoke", "alice"]).success();
    let rel = "manifests/datasets/lab/corpus.yaml";
    let text = t.read(rel).replace("CC-BY-4.0", "MIT");
    t.write(rel, text);
    let digest = sha256(&t, rel);
    let key = t.home.path().join("mallory/mallory.key");
    minisign_sign(
        &t,
        &key,
        rel,
        &format!("{rel}.mallory.minisig"),
        &format!(
            "commons-manifest id=lab/corpus kind=dataset sha256={digest} signer=mallory timestamp=1"
        ),
    );
    std::fs::remove_file(t.path(&format!("{rel}.alice.minisig"))).unwrap();
    // Even writing herself into commons.yaml changes nothing.
    let cfg = t
        .read("governance/0002.yaml")
        .replace("version: 2", "version: 1");
    t.write("commons.yaml", cfg);
    t.git(&["add", "-A"]);
    t.git(&["commit", "-qm", "take over"]);
    let out = t.cmd(["verify", "--no-files", "--format", "json"]).code(1);
    let rules = out.rules();
    for r in [
        "governance-unsigned-edit",
        "governance-pending",
        "quorum-not-met",
        "signature-untrusted",
    ] {
        assert!(rules.contains(&r.to_owned()), "{r} missing from {rules:?}");
    }
    t.cmd(["show", "lab/corpus"])
        .success()
        .stdout_has("0 of 1 required, not accepted");
    // The proposal names mallory's version, which counts for nothing.
    assert!(
        out.stdout().contains("governance version 2"),
        "{}",
        out.stdout()
    );
}

#[test]
fn an_unsigned_edit_of_the_quorum_changes_nothing() {
    let t = cooperative();
    t.write("work/m/w.bin", vec![1u8; 64]);
    t.cmd([
        "record",
        "model",
        "lab/m",
        "--license",
        "MIT",
        "--files",
        "work/m",
        "--source-local",
        "trained here",
    ])
    .success();
    t.cmd(["sign", "lab/m"]).success();
    let out = t
        .cmd(["verify", "lab/m", "--no-files", "--format", "json"])
        .code(1);
    assert_eq!(out.rules(), ["quorum-not-met"]);
    let cfg = t.read("commons.yaml").replace("quorum: 2", "quorum: 1");
    t.write("commons.yaml", cfg);
    let out = t
        .cmd(["verify", "lab/m", "--no-files", "--format", "json"])
        .code(1);
    assert_eq!(
        out.rules(),
        [
            "governance-unsigned-edit",
            "quorum-not-met",
            "uncommitted-change"
        ]
    );
}

#[test]
fn lowering_the_threshold_needs_the_old_threshold() {
    let t = cooperative();
    // alice alone proposes a threshold of one: 1 of 2 signatures.
    t.cmd(["policy", "set", "membership-threshold", "1"])
        .success()
        .stderr_has("1 of 2 required");
    // Then, as if the threshold were already lowered, proposes adding mallory.
    let out = t
        .cmd(["governance", "log", "--format", "json"])
        .success()
        .json();
    let last = out["versions"].as_array().unwrap().last().unwrap().clone();
    assert_eq!(last["status"], "proposed");
    assert_eq!(
        t.cmd(["policy", "show", "--format", "json"])
            .success()
            .json()["membership_threshold"],
        2
    );
}

#[test]
fn one_member_with_two_signatures_counts_once() {
    let t = cooperative();
    t.cmd_as("bob", ["policy", "set", "quorum", "1"]).success();
    let dir = t.path("governance");
    let bobs: Vec<String> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.contains(".bob.") && n.starts_with("0006"))
        .collect();
    assert_eq!(bobs.len(), 1, "{bobs:?}");
    let sig = std::fs::read(dir.join(&bobs[0])).unwrap();
    std::fs::write(dir.join(bobs[0].replace(".bob.", ".carol.")), sig).unwrap();
    let out = t
        .cmd(["governance", "log", "--format", "json"])
        .success()
        .json();
    let last = out["versions"].as_array().unwrap().last().unwrap().clone();
    assert_eq!(last["status"], "proposed", "{last}");
    assert_eq!(last["approved_by"], serde_json::json!(["bob"]));
    let out = t.cmd(["verify", "--no-files", "--format", "json"]).code(0);
    assert!(
        out.stdout().contains("governance version 6"),
        "{}",
        out.stdout()
    );
}

#[test]
fn a_removed_member_no_longer_counts() {
    let t = cooperative();
    t.cmd(["member", "remove", "carol"]).success();
    t.cmd_as("bob", ["governance", "sign"])
        .success()
        .stderr_has("Accepted");
    // carol still signs a record and a proposal.
    t.cmd_as("carol", ["sign", "--as", "carol", "lab/corpus"])
        .code(2)
        .stderr_has("not a member");
    t.cmd_as("bob", ["policy", "set", "quorum", "1"]).success();
    t.cmd_as("carol", ["governance", "sign", "--as", "carol"])
        .code(2)
        .stderr_has("not a member");
}

#[test]
fn a_version_signed_only_by_new_members_is_not_accepted() {
    let t = cooperative();
    let (pubkey, key) = mallory_key(&t);
    t.cmd_as("mallory", ["member", "add", "mallory", "--key"])
        .code(2);
    t.cmd_as(
        "mallory",
        [
            "member",
            "add",
            "mallory",
            "--key",
            pubkey.to_str().unwrap(),
        ],
    )
    .success()
    .stderr_has("0 of 2 required");
    t.cmd_as(
        "mallory",
        [
            "governance",
            "sign",
            "--as",
            "mallory",
            "--secret-key",
            key.to_str().unwrap(),
        ],
    )
    .success()
    .stderr_has("Proposed");
    let out = t
        .cmd(["verify", "--no-files", "--format", "json"])
        .success();
    assert_eq!(out.rules(), ["governance-pending"]);
    assert!(!t.read("commons.yaml").contains("mallory"));
}

#[test]
fn replaying_an_old_version_is_an_error_naming_it() {
    let t = cooperative();
    // Version 1 and its signatures, replayed as version 6.
    let v1 = t.read("governance/0001.yaml");
    t.write("governance/0006.yaml", v1);
    for e in std::fs::read_dir(t.path("governance")).unwrap() {
        let name = e.unwrap().file_name().to_string_lossy().into_owned();
        if let Some(rest) = name.strip_prefix("0001.yaml.") {
            std::fs::copy(
                t.path(&format!("governance/{name}")),
                t.path(&format!("governance/0006.yaml.{rest}")),
            )
            .unwrap();
        }
    }
    let out = t.cmd(["verify", "--no-files", "--format", "json"]).code(1);
    assert!(
        out.rules().contains(&"governance-invalid".to_owned()),
        "{:?}",
        out.rules()
    );
    out.stdout_has("0006.yaml");
}

#[test]
fn a_forged_root_fails_against_the_pin() {
    let t = founded();
    t.cmd(["verify", "--no-files"]).success();
    let pinned = sha256(&t, "governance/0001.yaml");
    // mallory rewrites history: her own version 1, self-signed.
    let (_, key) = mallory_key(&t);
    let pk_line = std::fs::read_to_string(t.home.path().join("mallory/mallory.pub")).unwrap();
    let b64 = pk_line.lines().nth(1).unwrap().to_owned();
    let id = {
        use base64::Engine;
        let raw = base64::engine::general_purpose::STANDARD
            .decode(&b64)
            .unwrap();
        let mut n = [0u8; 8];
        n.copy_from_slice(&raw[2..10]);
        format!("{:016X}", u64::from_le_bytes(n))
    };
    let doc = format!(
        "schema: commons/v1\nversion: 1\nname: Test Commons\nmembers:\n- name: mallory\n  key: keys/mallory.pub\n  key_id: {id}\n  public_key: {b64}\n"
    );
    for e in std::fs::read_dir(t.path("governance")).unwrap() {
        std::fs::remove_file(e.unwrap().path()).unwrap();
    }
    t.write("governance/0001.yaml", &doc);
    t.write("commons.yaml", &doc);
    let digest = sha256(&t, "governance/0001.yaml");
    minisign_sign(
        &t,
        &key,
        "governance/0001.yaml",
        &format!("governance/0001.yaml.mallory.{id}.minisig"),
        &format!(
            "commons-manifest id=governance/1 kind=governance sha256={digest} signer=mallory timestamp=1"
        ),
    );
    let out = t.cmd(["verify", "--no-files", "--format", "json"]).code(1);
    assert!(
        out.rules().contains(&"governance-root-mismatch".to_owned()),
        "{:?}",
        out.rules()
    );
    // A fresh clone that pins the root out of band sees the same.
    let out = t
        .cmd([
            "verify",
            "--no-files",
            "--root",
            &pinned,
            "--format",
            "json",
        ])
        .code(1);
    assert!(out.rules().contains(&"governance-root-mismatch".to_owned()));
    let out = t
        .command(["verify", "--no-files"])
        .env("COMMONS_ROOT", &pinned)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
}

#[test]
fn deleting_a_leaf_manifest_is_found() {
    let t = founded();
    t.cmd(["verify", "--no-files"]).success();
    t.git(&[
        "rm",
        "-q",
        "manifests/datasets/lab/corpus.yaml",
        "manifests/datasets/lab/corpus.yaml.alice.minisig",
    ]);
    t.git(&["commit", "-qm", "drop it"]);
    let out = t.cmd(["verify", "--no-files", "--format", "json"]).code(1);
    assert_eq!(out.rules(), ["manifest-deleted"]);
    out.stdout_has("manifests/datasets/lab/corpus.yaml");
    // A member who means it signs a snapshot without it.
    t.cmd(["snapshot"]).success();
    t.cmd(["verify", "--no-files"]).success();
}

#[test]
fn a_manifest_rolled_back_with_its_signature_is_found() {
    let t = founded();
    let rel = "manifests/datasets/lab/corpus.yaml";
    let old = t.git(&["rev-parse", "HEAD"]).trim().to_owned();
    let text = t.read(rel).replace(
        "https://example.org/corpus",
        "https://example.org/corpus-v2",
    );
    t.write(rel, text);
    t.git(&["commit", "-qam", "fix the source"]);
    t.cmd(["sign", "--all"]).success();
    t.cmd(["verify", "--no-files"]).success();
    for f in [rel.to_owned(), format!("{rel}.alice.minisig")] {
        let bytes = t.git(&["show", &format!("{old}:{f}")]);
        t.write(&f, bytes);
    }
    t.git(&["commit", "-qam", "restore"]);
    let out = t.cmd(["verify", "--no-files", "--format", "json"]).code(1);
    assert_eq!(out.rules(), ["manifest-rolled-back"]);
}

#[test]
fn a_whole_repository_reset_is_found_by_a_clone_that_saw_more() {
    let t = founded();
    let old = t.git(&["rev-parse", "HEAD"]).trim().to_owned();
    record_d2(&t);
    t.cmd(["sign", "--all"]).success();
    t.cmd(["verify", "--no-files"]).success();
    t.git(&["reset", "-q", "--hard", &old]);
    let out = t.cmd(["verify", "--no-files", "--format", "json"]).code(1);
    assert_eq!(out.rules(), ["snapshot-rollback"]);
}

#[test]
fn a_revoked_key_stops_counting_for_later_and_earlier_signatures() {
    let t = founded();
    t.cmd(["key", "generate", "--name", "bob", "--no-password"])
        .success()
        .stderr_has("Accepted");
    // Before the revocation: bob signs the dataset.
    t.cmd(["sign", "--as", "bob", "lab/corpus"]).success();
    t.cmd(["key", "revoke", "bob", "--reason", "laptop lost"])
        .success()
        .stderr_has("Accepted");
    // After it: bob's key signs another record (by hand: commons refuses).
    record_d2(&t);
    t.cmd(["sign", "--as", "bob", "lab/d2"])
        .code(2)
        .stderr_has("not a member");
    let rel = "manifests/datasets/lab/d2.yaml";
    let digest = sha256(&t, rel);
    let key = t.home.path().join(".config/commons/keys/bob.key");
    minisign_sign(
        &t,
        &key,
        rel,
        &format!("{rel}.bob.minisig"),
        &format!("commons-manifest id=lab/d2 kind=dataset sha256={digest} signer=bob timestamp=1"),
    );
    let out = t
        .cmd(["verify", "lab/d2", "--no-files", "--format", "json"])
        .code(1);
    assert!(
        out.rules().contains(&"signature-revoked".to_owned()),
        "{:?}",
        out.rules()
    );
    // The earlier signature stops counting too (a stolen key can backdate).
    let out = t
        .cmd(["verify", "lab/corpus", "--no-files", "--format", "json"])
        .code(1);
    assert_eq!(out.rules(), ["signature-revoked"]);
    out.stdout_has("bob's revoked key");
}

#[test]
fn adopting_an_unsigned_commons() {
    let t = Test::with_member();
    // A commons from before signed governance: no governance/ folder.
    std::fs::remove_dir_all(t.path("governance")).unwrap();
    std::fs::remove_dir_all(t.path(".git/commons")).unwrap();
    for f in ["snapshot.yaml", "snapshot.yaml.alice.minisig"] {
        std::fs::remove_file(t.path(f)).unwrap();
    }
    let cfg = t.read("commons.yaml");
    let legacy: String = cfg
        .lines()
        .filter(|l| !l.trim_start().starts_with("public_key:") && !l.starts_with("version:"))
        .map(|l| format!("{l}\n"))
        .collect();
    t.write("commons.yaml", legacy);
    t.git(&["commit", "-qam", "legacy"]);
    let out = t.cmd(["verify", "--no-files", "--format", "json"]).code(1);
    assert_eq!(out.rules(), ["governance-unsigned"]);
    t.cmd(["governance", "adopt"])
        .success()
        .stderr_has("Accepted");
    t.cmd(["verify", "--no-files"]).success();
    assert!(t.read("commons.yaml").contains("public_key:"));
}

#[test]
fn uncommitted_manifests_are_named() {
    let t = founded();
    t.write("manifests/datasets/lab/extra.yaml", "kind: dataset\n");
    let out = t.cmd(["verify", "--no-files", "--format", "json"]).code(1);
    assert!(
        out.rules().contains(&"uncommitted-change".to_owned()),
        "{:?}",
        out.rules()
    );
}

#[test]
fn rotating_a_key_needs_the_member_and_the_new_key() {
    let t = founded();
    let (pubkey, key) = mallory_key(&t);
    // alice's new key pair (made by the minisign tool), proposed by alice.
    t.cmd([
        "member",
        "rotate-key",
        "alice",
        "--key",
        pubkey.to_str().unwrap(),
    ])
    .success()
    .stderr_has("not yet signed by the key(s) it adds");
    t.cmd([
        "governance",
        "sign",
        "--as",
        "alice",
        "--secret-key",
        key.to_str().unwrap(),
    ])
    .success()
    .stderr_has("Accepted");
    // The old key no longer counts; the new one does.
    let out = t.cmd(["verify", "--no-files", "--format", "json"]).code(1);
    assert!(
        out.rules().contains(&"signature-untrusted".to_owned()),
        "{:?}",
        out.rules()
    );
    t.cmd([
        "sign",
        "--all",
        "--as",
        "alice",
        "--secret-key",
        key.to_str().unwrap(),
    ])
    .success();
    let log = t
        .cmd(["governance", "log", "--format", "json"])
        .success()
        .json();
    let change = log["versions"][1]["changes"][0]
        .as_str()
        .unwrap()
        .to_owned();
    assert!(change.starts_with("member alice: key "), "{change}");
}
