//! Hostile inputs, as an attacker would build them: GGUF headers whose
//! counts and offsets lie, encoder configurations that divide by zero,
//! manifests too large or nested too deep, revisions that climb out of the
//! cache, and a Hub that points its pagination at another server. Each one
//! must end in a clear error (exit 2) naming the file and the field, never a
//! panic (101) or an abort (134), and in bounded time and memory.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use crate::tiny::{self, GgufTensor, Meta, TinyModel};

use crate::support::{Outcome, Test, models};

/// Writes a tiny llama GGUF with `overrides`, edited by `edit`.
fn hostile_gguf(
    t: &Test,
    overrides: &[(&str, Meta)],
    edit: impl FnOnce(&mut Vec<GgufTensor>),
) -> PathBuf {
    let (meta, mut tensors) = TinyModel::new(5).gguf_parts(tiny::Q4_1, overrides);
    edit(&mut tensors);
    let path = t.path("work/hostile.gguf");
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    tiny::write_gguf_file(&path, &meta, &tensors);
    path
}

fn run_gguf(t: &Test, path: &Path) -> Outcome {
    t.cmd(["run", path.to_str().unwrap(), "-p", "hi", "-n", "4"])
}

/// Exit 2, with every one of `needles` in the error.
fn refused(out: Outcome, needles: &[&str]) {
    let out = out.code(2);
    for needle in needles {
        assert!(
            out.stderr().contains(needle),
            "stderr lacks {needle:?}:\n{}",
            out.stderr()
        );
    }
}

#[test]
fn a_vocabulary_of_2_pow_58_is_refused_before_any_product_overflows() {
    let t = Test::new();
    let huge = (1u64 << 58) + 1;
    let path = hostile_gguf(&t, &[("llama.vocab_size", Meta::U64(huge))], |tensors| {
        for tensor in tensors.iter_mut() {
            if tensor.name == "token_embd.weight" || tensor.name == "output.weight" {
                tensor.dims[1] = huge;
            }
        }
    });
    refused(
        run_gguf(&t, &path),
        &["hostile.gguf", "dimensions [64, 288230376151711745] exceed"],
    );
}

#[test]
fn a_block_count_of_2_pow_40_is_refused_before_allocation() {
    let t = Test::new();
    let path = hostile_gguf(&t, &[("llama.block_count", Meta::U64(1 << 40))], |_| {});
    refused(
        run_gguf(&t, &path),
        &["hostile.gguf", "llama.block_count", "1099511627776"],
    );
}

#[test]
fn a_zero_alignment_is_refused() {
    let t = Test::new();
    let path = hostile_gguf(&t, &[("general.alignment", Meta::U32(0))], |_| {});
    refused(run_gguf(&t, &path), &["general.alignment", "power of two"]);
}

#[test]
fn a_tensor_offset_that_wraps_around_is_refused() {
    let t = Test::new();
    let path = hostile_gguf(&t, &[], |tensors| {
        let embd = tensors
            .iter_mut()
            .find(|t| t.name == "token_embd.weight")
            .unwrap();
        embd.offset = Some(u64::MAX - 63);
    });
    refused(run_gguf(&t, &path), &["token_embd.weight", "offset"]);
}

#[test]
fn a_metadata_array_longer_than_the_file_is_refused_unallocated() {
    let t = Test::new();
    let path = hostile_gguf(&t, &[("general.padding", Meta::U8s(16))], |_| {});
    // The array claims 2^40 elements; the file holds 16.
    let mut bytes = std::fs::read(&path).unwrap();
    let key = b"general.padding";
    let at = bytes.windows(key.len()).position(|w| w == key).unwrap() + key.len() + 8;
    bytes[at..at + 8].copy_from_slice(&(1u64 << 40).to_le_bytes());
    std::fs::write(&path, bytes).unwrap();
    refused(
        run_gguf(&t, &path),
        &["array length", "bytes left in the file"],
    );
}

/// Runs `commons` and returns its exit status, its stderr and its peak
/// resident memory in bytes: the kernel's high-water mark of the process's
/// own memory (`VmHWM`), read every millisecond until it exits. (wait4's
/// rusage would not do: a child spawned from this test process starts its
/// count at the test process's size.)
fn run_measured(t: &Test, args: &[&str]) -> (std::process::ExitStatus, String, u64) {
    let mut child = t
        .command(args)
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let mut stderr = child.stderr.take().unwrap();
    let reader = std::thread::spawn(move || {
        let mut text = String::new();
        std::io::Read::read_to_string(&mut stderr, &mut text).unwrap();
        text
    });
    let status_file = format!("/proc/{}/status", child.id());
    let mut peak = 0u64;
    let status = loop {
        let high_water = std::fs::read_to_string(&status_file).ok().and_then(|s| {
            let line = s.lines().find(|l| l.starts_with("VmHWM:"))?.to_owned();
            line.split_whitespace().nth(1)?.parse::<u64>().ok()
        });
        peak = peak.max(high_water.unwrap_or(0) * 1024);
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        std::thread::sleep(Duration::from_millis(1));
    };
    (status, reader.join().unwrap(), peak)
}

/// The bound stated for loading a GGUF: twice the file's size (its metadata
/// is held once, parsed; the rest is headroom), plus 160 MiB for the binary,
/// its runtime and the tiny model. Before arrays were kept packed, this file
/// took 33 times its size.
#[test]
fn peak_memory_of_a_gguf_with_a_2_pow_26_metadata_array_stays_near_its_size() {
    let t = Test::new();
    let path = hostile_gguf(&t, &[("general.padding", Meta::U8s(1 << 26))], |_| {});
    let file = std::fs::metadata(&path).unwrap().len();
    let (status, stderr, peak) =
        run_measured(&t, &["run", path.to_str().unwrap(), "-p", "hi", "-n", "1"]);
    assert!(status.success(), "{status:?}\n{stderr}");
    let bound = 2 * file + (160 << 20);
    eprintln!("peak RSS {} MiB for a {} MiB file", peak >> 20, file >> 20);
    assert!(
        peak < bound,
        "peak RSS {peak} bytes for a {file}-byte file; the bound is {bound}"
    );
}

/// A copy of all-MiniLM-L6-v2 (weights linked, not copied) whose JSON files
/// `edit` changes.
fn minilm_with(t: &Test, edit: impl FnOnce(&Path)) -> PathBuf {
    let real = models::models_dir().join("all-minilm-l6-v2");
    let dir = t.path("work/minilm");
    copy_linked(&real, &dir);
    edit(&dir);
    dir
}

fn copy_linked(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_linked(&entry.path(), &target);
        } else if entry.path().extension().is_some_and(|e| e == "json") {
            std::fs::copy(entry.path(), target).unwrap();
        } else {
            std::os::unix::fs::symlink(entry.path(), target).unwrap();
        }
    }
}

fn edit_json(path: &Path, key: &str, value: serde_json::Value) {
    let mut json: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    json[key] = value;
    std::fs::write(path, json.to_string()).unwrap();
}

/// `commons run --embed` on MiniLM with `key` of its `file` set to `value`
/// ends in exit 2 with every one of `needles` in the error.
fn embedding_refused(file: &str, key: &str, value: i64, needles: &[&str]) {
    let t = Test::new();
    let dir = minilm_with(&t, |d| edit_json(&d.join(file), key, value.into()));
    refused(
        t.cmd(["run", dir.to_str().unwrap(), "--embed", "hi"]),
        needles,
    );
}

#[test]
fn a_bert_config_with_zero_attention_heads_is_refused() {
    embedding_refused(
        "config.json",
        "num_attention_heads",
        0,
        &["config.json", "num_attention_heads"],
    );
}

#[test]
fn a_bert_config_whose_heads_do_not_divide_the_width_is_refused() {
    embedding_refused(
        "config.json",
        "num_attention_heads",
        7,
        &["config.json", "num_attention_heads", "do not divide"],
    );
}

#[test]
fn a_max_seq_length_of_zero_is_refused() {
    embedding_refused(
        "sentence_bert_config.json",
        "max_seq_length",
        0,
        &["sentence_bert_config.json", "max_seq_length"],
    );
}

const MANIFEST: &str =
    "schema: commons/v1\nkind: model\nid: lab/hostile\nlicense:\n  expression: MIT\n";

#[test]
fn a_3_gib_manifest_is_refused_from_its_size_unread() {
    let t = Test::with_member();
    let path = t.write("manifests/models/lab/hostile.yaml", MANIFEST);
    // Sparse: reading it whole would take 3 GiB of memory.
    std::fs::OpenOptions::new()
        .write(true)
        .open(&path)
        .unwrap()
        .set_len(3 << 30)
        .unwrap();
    refused(t.cmd(["list"]), &["hostile.yaml", "3221225472 bytes"]);
    let out = t.cmd(["verify", "--format", "json"]);
    assert!(
        matches!(out.out.status.code(), Some(1 | 2)),
        "{}",
        out.stderr()
    );
    assert!(
        (out.stdout() + &out.stderr()).contains("3221225472 bytes"),
        "{}\n{}",
        out.stdout(),
        out.stderr()
    );
}

#[test]
fn a_manifest_nested_200000_deep_is_refused_in_linear_time() {
    let t = Test::with_member();
    let deep = format!("{MANIFEST}title: {}\n", "[".repeat(200_000));
    t.write("manifests/models/lab/hostile.yaml", deep);
    let started = Instant::now();
    let out = t.cmd(["verify", "--format", "json"]);
    assert!(
        started.elapsed() < Duration::from_secs(10),
        "{:?}",
        started.elapsed()
    );
    assert!(
        matches!(out.out.status.code(), Some(1 | 2)),
        "{}",
        out.stderr()
    );
    assert!(
        (out.stdout() + &out.stderr()).contains("nest deeper than 64 levels"),
        "{}\n{}",
        out.stdout(),
        out.stderr()
    );
    refused(t.cmd(["list"]), &["hostile.yaml:6:72"]);
}

#[test]
fn a_hub_revision_that_climbs_out_of_the_cache_is_refused() {
    let t = Test::with_member();
    let outside = t.home.path().join("pt/files");
    std::fs::create_dir_all(&outside).unwrap();
    std::fs::write(outside.join("weights.bin"), b"x").unwrap();
    let manifest = format!(
        "{MANIFEST}source:\n  hub:\n    endpoint: https://huggingface.co\n    repo: lab/hostile\n    revision: ../../../../pt/files\nfiles:\n- path: weights.bin\n  size: 1\n  sha256: 2d711642b726b04401627ca9fbac32f5c8530fb1903cc4db02258717921a4881\n"
    );
    t.write("manifests/models/lab/hostile.yaml", manifest);
    refused(
        t.cmd(["list"]),
        &[
            "hostile.yaml",
            "source.hub.revision",
            "../../../../pt/files",
        ],
    );
}

#[cfg(feature = "hub")]
#[test]
fn a_listing_whose_next_page_is_on_another_origin_gets_no_token() {
    use crate::support::mock_hub::{MINILM, MockHub, TOKEN};
    let hub = MockHub::start(&models::models_dir());
    hub.page_size(2);
    hub.next_page_on_cdn();
    let t = Test::with_member()
        .env("HF_ENDPOINT", &hub.endpoint)
        .env("HF_TOKEN", TOKEN);
    refused(
        t.cmd(["fetch", MINILM]),
        &["another origin than HF_ENDPOINT", "refused"],
    );
    let leaked: Vec<_> = hub
        .requests()
        .into_iter()
        .filter(|r| r.server != "hub" && r.authorization.is_some())
        .collect();
    assert!(leaked.is_empty(), "token sent to {leaked:?}");
}

#[cfg(feature = "hub")]
#[test]
fn a_fetch_revision_or_repository_that_climbs_out_of_the_cache_is_refused() {
    let t = Test::with_member().env("HF_ENDPOINT", "http://127.0.0.1:9");
    refused(
        t.cmd(["fetch", "lab/model", "--revision", "../../../../etc"]),
        &["revision `../../../../etc` is refused"],
    );
    refused(t.cmd(["fetch", "../../lab"]), &["`../../lab`"]);
}

/// The bound stated for reading a hostile YAML document (a manifest,
/// `commons.yaml`, a governance version, a snapshot) just under its size
/// limit: `factor` times the file's size plus 96 MiB for the binary and its
/// runtime. Every YAML reader is bounded by the file size limit first and
/// by the nesting check before parsing, and serde_yaml's alias expansion
/// is limited. A document of few large scalars (padding, comments) stays
/// under 8 times its size; one of many small keys or entries under 24
/// times (serde_yaml holds every parse event of a document at once, some
/// 20 bytes of input each).
fn assert_yaml_reader_bounded(t: &Test, file: &Path, args: &[&str], factor: u64) {
    let size = std::fs::metadata(file).unwrap().len();
    let (status, stderr, peak) = run_measured(t, args);
    assert!(
        matches!(status.code(), Some(0..=2)),
        "{status:?} (a crash or an abort)\n{stderr}"
    );
    let bound = factor * size + (96 << 20);
    eprintln!(
        "{}: peak RSS {} MiB for a {} MiB file (bound {} MiB)",
        file.display(),
        peak >> 20,
        size >> 20,
        bound >> 20
    );
    assert!(
        peak < bound,
        "peak RSS {peak} bytes for a {size}-byte {}; the bound is {bound}",
        file.display()
    );
}

/// 15 MiB: just under the 16 MiB limit of manifests, commons.yaml and
/// snapshots.
const NEAR_LIMIT: usize = 15 << 20;

fn padded(head: &str, line: impl Fn(usize) -> String) -> String {
    let mut text = head.to_owned();
    let mut i = 0;
    while text.len() < NEAR_LIMIT {
        text.push_str(&line(i));
        i += 1;
    }
    text
}

#[test]
fn peak_memory_of_manifests_padded_keyed_nested_or_aliased_stays_bounded() {
    let cases: Vec<(&str, String)> = vec![
        (
            "padding",
            format!(
                "{MANIFEST}description: \"{}\"\n",
                " ".repeat(NEAR_LIMIT - MANIFEST.len())
            ),
        ),
        ("comments", padded(MANIFEST, |_| "#".repeat(1000) + "\n")),
        (
            "keys",
            padded(&format!("{MANIFEST}model:\n"), |i| format!("  k{i}: 1\n")),
        ),
        (
            "nesting",
            format!("{MANIFEST}title: {}\n", "[".repeat(NEAR_LIMIT)),
        ),
        (
            "aliases",
            (0..40).fold(
                format!("{MANIFEST}x0: &a0 [{}]\n", "1,".repeat(64)),
                |text, i| {
                    format!(
                        "{text}x{}: &a{} [{}]\n",
                        i + 1,
                        i + 1,
                        format!("*a{i},").repeat(64)
                    )
                },
            ),
        ),
    ];
    for (name, text) in cases {
        let t = Test::with_member();
        let file = t.write(&format!("manifests/models/lab/{name}.yaml"), text);
        let factor = if name == "keys" { 24 } else { 8 };
        assert_yaml_reader_bounded(
            &t,
            &file,
            &["verify", "--no-files", "--format", "json"],
            factor,
        );
    }
}

#[test]
fn peak_memory_of_a_padded_or_keyed_commons_yaml_governance_and_snapshot_stays_bounded() {
    let t = Test::with_member();
    let config = t.read("commons.yaml");
    let file = t.write(
        "commons.yaml",
        padded(&config, |i| format!("# padding {i} {}\n", "x".repeat(200))),
    );
    assert_yaml_reader_bounded(&t, &file, &["verify", "--no-files", "--format", "json"], 8);
    let t = Test::with_member();
    let governance = t.read("commons.yaml");
    let mut text = governance.clone();
    let mut i = 0;
    while text.len() < (4 << 20) - 4096 {
        text.push_str(&format!("x{i}: 1\n"));
        i += 1;
    }
    let file = t.write("governance/0001.yaml", text);
    assert_yaml_reader_bounded(&t, &file, &["verify", "--no-files", "--format", "json"], 24);
    let t = Test::with_member();
    let file = t.write(
        "snapshot.yaml",
        padded("version: 1\nmanifests:\n", |i| {
            format!("  manifests/models/lab/m{i}.yaml: {}\n", "0".repeat(64))
        }),
    );
    assert_yaml_reader_bounded(&t, &file, &["verify", "--no-files", "--format", "json"], 24);
}

/// A manifest that is a link to a file outside the commons, or a
/// `manifests` folder that is a link, is never read as one of its records:
/// someone who can push a symlink cannot make `commons` read (and report)
/// a file of the machine it runs on.
#[test]
fn manifests_linked_from_outside_the_commons_are_refused() {
    let t = crate::core::recorded();
    let outside = t.home.path().join("outside");
    std::fs::create_dir_all(outside.join("models/lab")).unwrap();
    let real = t.read("manifests/models/lab/tiny.yaml");
    std::fs::write(
        outside.join("models/lab/linked.yaml"),
        real.replace("lab/tiny", "lab/linked"),
    )
    .unwrap();
    std::os::unix::fs::symlink(
        outside.join("models/lab/linked.yaml"),
        t.path("manifests/models/lab/linked.yaml"),
    )
    .unwrap();
    t.cmd(["list"])
        .code(2)
        .stderr_has("manifests/models/lab/linked.yaml")
        .stderr_has("outside");
    std::fs::remove_file(t.path("manifests/models/lab/linked.yaml")).unwrap();

    // The whole folder a link to a copy outside.
    crate::support::copy_dir(&t.path("manifests"), &outside.join("manifests"));
    std::fs::rename(t.path("manifests"), t.home.path().join("moved")).unwrap();
    std::os::unix::fs::symlink(outside.join("manifests"), t.path("manifests")).unwrap();
    t.cmd(["list"]).code(2).stderr_has("outside");
}
