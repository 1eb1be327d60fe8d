//! Per-item samples of an evaluation (`commons eval --log-samples`), so that
//! anyone can audit a result item by item and compare two results
//! (`commons eval diff`).
//!
//! A sample holds the item's place in the data file (`doc_id`), the sha256 of
//! the item as read and of the prompt the model saw, the target, each
//! choice's log-likelihood, the prediction, and the exact values the item
//! added to the evaluation's tally. The runners record an item's tally and
//! its sample in one step ([`Scoresheet::record`]), so adding the samples'
//! values up gives the manifest's tally bit for bit, which `verify` checks.
//!
//! Samples are written as JSON Lines compressed with zstd beside the eval
//! manifest (`<name>.samples.jsonl.zst`); the manifest records the file's
//! sha256, so a signature over the manifest covers them.

use std::collections::BTreeMap;
use std::io::{BufRead, BufReader, Read, Write};
use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::digest::Sha256Hex;

use super::{EvalError, Result, Tally};

/// The file name suffix of a samples file.
pub const SUFFIX: &str = ".samples.jsonl.zst";
/// zstd level: the files are written once and read rarely.
const LEVEL: i32 = 9;
/// A samples file a stranger sends may decompress to at most this much.
pub const MAX_DECOMPRESSED: u64 = 512 << 20;
/// The longest line accepted in a samples file.
const MAX_LINE: u64 = 1 << 20;

/// One item of an evaluation.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Sample {
    /// 0-based place of the item in the data file (the chunk, for chunked
    /// perplexity).
    pub doc_id: u64,
    /// sha256 of the item as read (see [`doc_hash`]).
    pub doc_hash: Sha256Hex,
    /// sha256 of what the model was given: the context (with any few-shot
    /// examples) and, after a NUL, each continuation; the document itself
    /// for perplexity.
    pub prompt_hash: Sha256Hex,
    /// The gold answer: a choice's index, LAMBADA's word, an STS score.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub target: Option<serde_json::Value>,
    /// The summed log-likelihood of each choice (of the document, for
    /// perplexity; of the last word, for LAMBADA).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub loglikelihoods: Vec<f64>,
    /// The choice of highest log-likelihood.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub prediction: Option<usize>,
    /// The choice of highest log-likelihood per character (`acc_norm`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub prediction_norm: Option<usize>,
    /// What the item added to each sum of the tally (multiples of 2⁻²⁴).
    pub sums: BTreeMap<String, f64>,
    /// What the item appended to each series of the tally (rank metrics).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub series: BTreeMap<String, f64>,
}

/// What a runner knows of one item's score; [`Scoresheet::record`] adds
/// it to the tally.
#[derive(Debug, Clone, Default)]
pub struct ItemScore {
    pub prompt_hash: Option<Sha256Hex>,
    pub target: Option<serde_json::Value>,
    pub loglikelihoods: Vec<f64>,
    pub prediction: Option<usize>,
    pub prediction_norm: Option<usize>,
    pub sums: Vec<(&'static str, f64)>,
    pub series: Vec<(&'static str, f64)>,
}

impl ItemScore {
    pub fn sum(mut self, name: &'static str, value: f64) -> ItemScore {
        self.sums.push((name, value));
        self
    }

    pub fn push(mut self, name: &'static str, value: f64) -> ItemScore {
        self.series.push((name, value));
        self
    }
}

/// The tally of a run and the score of each item, in order.
#[derive(Debug, Clone, Default)]
pub struct Scoresheet {
    pub tally: Tally,
    pub items: Vec<ItemScore>,
}

impl Scoresheet {
    pub fn new() -> Scoresheet {
        Scoresheet::default()
    }

    /// Adds an item's values to the tally and keeps its score.
    pub fn record(&mut self, mut item: ItemScore) {
        for (name, value) in &mut item.sums {
            *value = Tally::quantize(*value);
            self.tally.add(name, *value);
        }
        for (name, value) in &item.series {
            self.tally.push(name, *value);
        }
        self.items.push(item);
    }

    /// The samples, given each item's place in the data and its hash.
    pub fn samples(self, places: &[(u64, Sha256Hex)]) -> Vec<Sample> {
        debug_assert_eq!(places.len(), self.items.len());
        self.items
            .into_iter()
            .zip(places)
            .map(|(item, (doc_id, doc_hash))| Sample {
                doc_id: *doc_id,
                doc_hash: doc_hash.clone(),
                prompt_hash: item.prompt_hash.unwrap_or_else(|| doc_hash.clone()),
                target: item.target,
                loglikelihoods: item.loglikelihoods,
                prediction: item.prediction,
                prediction_norm: item.prediction_norm,
                sums: item
                    .sums
                    .into_iter()
                    .map(|(n, v)| (n.to_owned(), v))
                    .collect(),
                series: item
                    .series
                    .into_iter()
                    .map(|(n, v)| (n.to_owned(), v))
                    .collect(),
            })
            .collect()
    }
}

/// sha256 of an item as read: its fields as a JSON array, so the same item
/// hashes the same in every run, whatever the prompt built from it.
pub fn doc_hash(fields: &serde_json::Value) -> Sha256Hex {
    Sha256Hex::of_bytes(fields.to_string().as_bytes())
}

/// sha256 of a prompt: the context and each continuation, NUL-separated.
pub fn prompt_hash<'a>(parts: impl IntoIterator<Item = &'a str>) -> Sha256Hex {
    let mut joined = String::new();
    for (i, part) in parts.into_iter().enumerate() {
        if i > 0 {
            joined.push('\0');
        }
        joined.push_str(part);
    }
    Sha256Hex::of_bytes(joined.as_bytes())
}

/// The tally the samples add up to.
pub fn retally(samples: &[Sample]) -> Tally {
    let mut tally = Tally::new();
    for s in samples {
        for (name, value) in &s.sums {
            tally.add(name, *value);
        }
        for (name, value) in &s.series {
            tally.push(name, *value);
        }
    }
    tally
}

/// The bytes of a samples file: JSON Lines, zstd-compressed.
pub fn encode(samples: &[Sample]) -> Vec<u8> {
    let mut lines = Vec::new();
    for s in samples {
        serde_json::to_writer(&mut lines, s).expect("samples serialise");
        lines.push(b'\n');
    }
    let mut out = Vec::new();
    let mut encoder = zstd::stream::write::Encoder::new(&mut out, LEVEL).expect("zstd level");
    encoder.write_all(&lines).expect("writing to memory");
    encoder.finish().expect("writing to memory");
    out
}

/// Reads the bytes of a samples file; `origin` names it in errors. The
/// decompressed size is capped, so a file made to expand cannot exhaust
/// memory.
pub fn decode(bytes: &[u8], origin: &Path) -> Result<Vec<Sample>> {
    let bad = |line: usize, message: String| EvalError::data(origin, line, message);
    let decoder = zstd::stream::read::Decoder::new(bytes)
        .map_err(|e| EvalError::file(origin, format!("not a zstd samples file: {e}")))?;
    let mut reader = BufReader::new(decoder.take(MAX_DECOMPRESSED + 1));
    let mut samples = Vec::new();
    let (mut line, mut total) = (Vec::new(), 0u64);
    for number in 1.. {
        line.clear();
        let n = (&mut reader)
            .take(MAX_LINE + 1)
            .read_until(b'\n', &mut line)
            .map_err(|e| EvalError::file(origin, format!("not a zstd samples file: {e}")))?;
        if n == 0 {
            break;
        }
        total += n as u64;
        if total > MAX_DECOMPRESSED {
            return Err(EvalError::file(
                origin,
                format!(
                    "decompresses to more than {} MiB; refused",
                    MAX_DECOMPRESSED >> 20
                ),
            ));
        }
        if n as u64 > MAX_LINE {
            return Err(bad(
                number,
                format!("a line longer than {} KiB", MAX_LINE >> 10),
            ));
        }
        let sample: Sample =
            serde_json::from_slice(&line).map_err(|e| bad(number, e.to_string()))?;
        samples.push(sample);
    }
    Ok(samples)
}

/// The samples file `name` beside the manifest at `manifest`; refuses a name
/// that would lead out of the manifest's folder.
pub fn path_beside(manifest: &Path, name: &str) -> Result<std::path::PathBuf> {
    let plain = !name.is_empty()
        && name.ends_with(SUFFIX)
        && !name.contains(['/', '\\', '\0'])
        && !name.starts_with('.');
    if !plain {
        return Err(EvalError::file(
            manifest,
            format!(
                "field `eval.samples.file`: `{name}` is not a file name ending in `{SUFFIX}` in the manifest's folder"
            ),
        ));
    }
    Ok(manifest.with_file_name(name))
}

/// The samples file name of the manifest at `manifest` (`x.yaml` →
/// `x.samples.jsonl.zst`).
pub fn file_name(manifest: &Path) -> String {
    let stem = manifest
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    format!("{stem}{SUFFIX}")
}

/// Reads the samples a manifest records, checking the file's digest.
pub fn load(manifest: &Path, name: &str, digest: &Sha256Hex) -> Result<Vec<Sample>> {
    let path = path_beside(manifest, name)?;
    // A link (committed by anyone who can push) could lead out of the
    // commons, to a device or a pipe: only a plain file is read.
    match std::fs::symlink_metadata(&path) {
        Ok(m) if m.file_type().is_file() => {}
        Ok(_) => {
            return Err(EvalError::file(
                &path,
                "is not a plain file (a link, a folder or a device): samples are read only from a file in the manifest's folder",
            ));
        }
        Err(e) => return Err(EvalError::file(&path, e.to_string())),
    }
    let bytes = crate::bounded::read(&path, MAX_DECOMPRESSED)?;
    let actual = Sha256Hex::of_bytes(&bytes);
    if &actual != digest {
        return Err(EvalError::file(
            &path,
            format!(
                "sha256 {actual} differs from the {digest} recorded in {} (`eval.samples.sha256`): the samples were changed after the result was recorded",
                manifest.display()
            ),
        ));
    }
    decode(&bytes, &path)
}

/// Why a result's samples do not back it: the manifest field at fault.
#[derive(Debug)]
pub struct Unbacked {
    pub field: &'static str,
    pub message: String,
}

impl std::fmt::Display for Unbacked {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} (field `{}`)", self.message, self.field)
    }
}

/// The samples an eval manifest (at `manifest`, with id `id`) names in
/// `file`, checked: the file's digest, the count, and that their values add
/// up to the tally the manifest records.
pub fn audited(
    manifest: &Path,
    id: &str,
    eval: &crate::manifest::EvalSection,
    file: &crate::manifest::SamplesFile,
) -> std::result::Result<Vec<Sample>, Unbacked> {
    let samples = load(manifest, &file.file, &file.sha256).map_err(|e| Unbacked {
        field: "eval.samples.sha256",
        message: e.to_string(),
    })?;
    if samples.len() as u64 != file.items {
        return Err(Unbacked {
            field: "eval.samples.items",
            message: format!(
                "{}: {} holds {} samples, the manifest says {}",
                manifest.display(),
                file.file,
                samples.len(),
                file.items
            ),
        });
    }
    if Tally::from_record(&eval.tally, id).ok() != Some(retally(&samples)) {
        return Err(Unbacked {
            field: "eval.tally",
            message: format!(
                "{}: the {} samples in {} do not add up to the tally the result records: the result or its samples were changed",
                manifest.display(),
                samples.len(),
                file.file
            ),
        });
    }
    Ok(samples)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample(doc_id: u64, ll: f64) -> Sample {
        Sample {
            doc_id,
            doc_hash: Sha256Hex::of_bytes(&doc_id.to_le_bytes()),
            prompt_hash: Sha256Hex::of_bytes(b"p"),
            target: Some(serde_json::json!(1)),
            loglikelihoods: vec![ll, ll * 0.5],
            prediction: Some(1),
            prediction_norm: None,
            sums: [
                ("items".to_owned(), 1.0),
                ("loglikelihood".to_owned(), Tally::quantize(ll)),
            ]
            .into(),
            series: BTreeMap::new(),
        }
    }

    #[test]
    fn samples_round_trip_and_add_up_to_the_tally() {
        let samples: Vec<Sample> = (0..500)
            .map(|i| sample(i, -((i as f64) * 0.731).sin() * 13.7 - 0.3))
            .collect();
        let bytes = encode(&samples);
        let back = decode(&bytes, Path::new("x")).unwrap();
        assert_eq!(back, samples);
        let mut direct = Tally::new();
        for s in &samples {
            direct.add("items", 1.0);
            direct.add("loglikelihood", s.sums["loglikelihood"]);
        }
        assert_eq!(retally(&back), direct);
        // Deterministic bytes: the same samples, the same digest.
        assert_eq!(encode(&back), bytes);
    }

    #[test]
    fn a_file_made_to_expand_is_refused() {
        // 600 MiB of one repeated byte compresses to a few KiB.
        let mut out = Vec::new();
        let mut e = zstd::stream::write::Encoder::new(&mut out, 1).unwrap();
        let block = vec![b' '; 1 << 20];
        for _ in 0..600 {
            e.write_all(&block).unwrap();
        }
        e.finish().unwrap();
        assert!(out.len() < 1 << 20);
        let err = decode(&out, Path::new("bomb.samples.jsonl.zst")).unwrap_err();
        assert!(err.to_string().contains("bomb.samples.jsonl.zst"), "{err}");
    }

    #[test]
    fn names_stay_in_the_manifest_folder() {
        let m = Path::new("/c/manifests/evals/a/b/t-1.yaml");
        assert_eq!(file_name(m), "t-1.samples.jsonl.zst");
        assert!(path_beside(m, "t-1.samples.jsonl.zst").is_ok());
        for bad in [
            "../x.samples.jsonl.zst",
            "a/b.samples.jsonl.zst",
            "x.yaml",
            "",
        ] {
            let err = path_beside(m, bad).unwrap_err().to_string();
            assert!(err.contains("eval.samples.file"), "{err}");
        }
    }

    #[cfg(unix)]
    #[test]
    fn a_link_is_not_followed() {
        let dir = tempfile::tempdir().unwrap();
        let manifest = dir.path().join("t-1.yaml");
        let target = dir.path().join("elsewhere");
        std::fs::write(&target, encode(&[])).unwrap();
        let link = dir.path().join("t-1.samples.jsonl.zst");
        std::os::unix::fs::symlink(&target, &link).unwrap();
        let digest = Sha256Hex::of_bytes(&encode(&[]));
        let err = load(&manifest, "t-1.samples.jsonl.zst", &digest)
            .unwrap_err()
            .to_string();
        assert!(err.contains("not a plain file"), "{err}");
        std::fs::remove_file(&link).unwrap();
        std::fs::copy(&target, &link).unwrap();
        assert_eq!(
            load(&manifest, "t-1.samples.jsonl.zst", &digest).unwrap(),
            vec![]
        );
    }

    #[test]
    fn malformed_lines_name_the_line() {
        let mut out = Vec::new();
        let mut e = zstd::stream::write::Encoder::new(&mut out, 1).unwrap();
        e.write_all(b"{\"doc_id\":0}\n").unwrap();
        e.finish().unwrap();
        let err = decode(&out, Path::new("s.samples.jsonl.zst"))
            .unwrap_err()
            .to_string();
        assert!(err.starts_with("s.samples.jsonl.zst:1:"), "{err}");
    }
}
