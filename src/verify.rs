//! `verify`: is every manifest well-formed, signed by enough trusted members,
//! pinned to upstreams that still match, and are its files intact?
//!
//! The result is a [`Report`] of findings; only failures to run at all are
//! errors. File hashing, the expensive part, is one pool of jobs across every
//! file of every manifest: whole small files and the recorded pieces of large
//! ones, largest first, on every core.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::{Path, PathBuf};

use rayon::prelude::*;

use crate::commons::{Commons, Loaded};
use crate::config::CommonsConfig;
use crate::digest::{HashProgress, Sha256Hex};
use crate::error::{Error, Result};
use crate::files::{FileJob, FilePlan, hash as run_file_jobs};
use crate::finding::{Examined, Finding, Report};
use crate::governance::keyring::Keyring;
use crate::rule::Rule;
use crate::signing;

#[derive(Debug, Clone, Default)]
pub struct VerifyOptions {
    /// Manifest ids or paths; empty means every manifest.
    pub targets: Vec<String>,
    /// Folder holding the files of the target manifest(s).
    pub files: Option<PathBuf>,
    /// Folders holding the files of particular manifests, by id (over `files`).
    pub files_by_id: BTreeMap<String, PathBuf>,
    /// Skip file checks entirely.
    pub no_files: bool,
    /// The sha256 of governance version 1 to trust (over this clone's pin).
    pub root: Option<Sha256Hex>,
}

pub fn verify(commons: &Commons, opts: &VerifyOptions) -> Result<Report> {
    verify_with_progress(commons, opts, &crate::digest::NoProgress)
}

/// [`verify`], reporting the progress of file hashing.
pub fn verify_with_progress(
    commons: &Commons,
    opts: &VerifyOptions,
    progress: &dyn HashProgress,
) -> Result<Report> {
    let targets: Vec<PathBuf> = opts
        .targets
        .iter()
        .map(|t| target_path(commons, t))
        .collect::<Result<_>>()?;
    let signatures = crate::signing::signature_index(commons.root())?;
    let keys = Keyring::of(&commons.config, commons.root(), &commons.config_path())?;
    let loaded: Vec<(PathBuf, Result<Loaded>)> = if opts.targets.is_empty() {
        commons.load_each()?
    } else {
        targets
            .par_iter()
            .map(|p| (p.clone(), commons.load_path(p)))
            .collect()
    };
    let digests = DigestIndex::new(commons, &loaded);
    for id in opts.files_by_id.keys() {
        let named = loaded
            .iter()
            .any(|(_, l)| l.as_ref().is_ok_and(|l| &l.manifest.id == id));
        if !named {
            return Err(Error::Usage(format!(
                "--files {id}=…: `{id}` is not among the manifests verified; name it, or drop this --files"
            )));
        }
    }

    let mut report = Report::default();
    let mut file_jobs = Vec::new();
    let per_manifest: Vec<(Vec<Finding>, Vec<FileJob>, String, Examined)> = loaded
        .par_iter()
        .map(|(path, result)| {
            let rel = commons
                .relative(path)
                .unwrap_or_else(|_| path.display().to_string());
            match result {
                Err(e) => {
                    let examined = Examined {
                        skipped: vec![format!("{rel}: it does not load, so nothing else")],
                        ..Examined::default()
                    };
                    (vec![load_finding(e, &rel)], Vec::new(), rel, examined)
                }
                Ok(m) => {
                    let mut findings = Vec::new();
                    required_fields(&commons.config, m, &mut findings);
                    let sigs = signatures.get(&m.path).map(Vec::as_slice).unwrap_or(&[]);
                    check_signatures(&commons.config, &keys, m, sigs, &mut findings);
                    check_references(&digests, m, &mut findings);
                    #[cfg(feature = "ml")]
                    check_merge(commons, m, &mut findings);
                    #[cfg(feature = "ml")]
                    check_samples(m, &mut findings);
                    let (jobs, located) = if opts.no_files {
                        (Vec::new(), None)
                    } else {
                        let folder = opts.files_by_id.get(&m.manifest.id).or(opts.files.as_ref());
                        plan_files(m, folder.map(PathBuf::as_path), &mut findings)
                    };
                    let examined = examined(
                        &commons.config,
                        m,
                        sigs.len(),
                        opts.no_files,
                        located.as_deref(),
                    );
                    (findings, jobs, m.manifest.id.clone(), examined)
                }
            }
        })
        .collect();
    for (findings, jobs, subject, examined) in per_manifest {
        report.subjects.push(subject);
        report.examined.extend(examined);
        report.findings.extend(findings);
        file_jobs.extend(jobs);
    }
    report.findings.extend(run_file_jobs(file_jobs, progress));
    let tree: BTreeMap<String, Sha256Hex> = loaded
        .iter()
        .filter_map(|(p, r)| match r {
            Ok(l) => Some((l.rel.clone(), l.digest.clone())),
            Err(_) => Some((
                commons.relative(p).ok()?,
                Sha256Hex::of_bytes(
                    &crate::bounded::read(p, crate::yaml::MAX_YAML_BYTES as u64).ok()?,
                ),
            )),
        })
        .collect();
    let failing: BTreeSet<String> = report
        .findings
        .iter()
        .filter(|f| f.severity == crate::finding::Severity::Error)
        .filter_map(|f| f.file.clone())
        .collect();
    let scope = crate::governance::audit::Scope {
        failing: &failing,
        tree: &tree,
        whole: opts.targets.is_empty(),
        pin: opts.root.as_ref(),
    };
    report
        .findings
        .extend(crate::governance::audit::audit(commons, &scope)?);
    if opts.targets.is_empty() {
        report
            .examined
            .checked
            .push("the governance chain, and the snapshot against every manifest".to_owned());
    } else {
        report
            .examined
            .checked
            .push("the governance chain, and the snapshot against the manifests named".to_owned());
        report.examined.skipped.push(
            "manifests deleted since the snapshot: looked for only when every manifest is verified"
                .to_owned(),
        );
    }
    if opts.targets.is_empty() {
        report.upstream = upstream_of(&loaded);
        report.mark_inherited();
    }
    Ok(report)
}

/// The records another record among `loaded` was made from (its lineage
/// references; an evaluation's model is evaluated, not made from).
fn upstream_of(loaded: &[(PathBuf, Result<Loaded>)]) -> BTreeSet<String> {
    let ids: BTreeSet<&str> = loaded
        .iter()
        .filter_map(|(_, l)| l.as_ref().ok())
        .map(|l| l.manifest.id.as_str())
        .collect();
    loaded
        .iter()
        .filter_map(|(_, l)| l.as_ref().ok())
        .flat_map(|l| l.manifest.references())
        .filter(|r| !r.field.starts_with("eval.") && ids.contains(r.id))
        .map(|r| r.id.to_owned())
        .collect()
}

fn target_path(commons: &Commons, target: &str) -> Result<PathBuf> {
    if target.ends_with(".yaml") {
        let p = Path::new(target);
        let abs = if p.is_absolute() {
            p.to_path_buf()
        } else {
            std::env::current_dir()
                .map_err(|e| Error::io(".", e))?
                .join(p)
        };
        commons.relative(&abs)?;
        return Ok(abs);
    }
    commons.find_path(target).ok_or_else(|| {
        Error::NotFound(format!(
            "no manifest with id `{target}` in {} (try `commons list`)",
            commons.root().display()
        ))
    })
}

fn load_finding(e: &Error, rel: &str) -> Finding {
    let f = Finding::new(Rule::ManifestInvalid, e.to_string()).file(rel);
    match e {
        Error::Yaml { line, message, .. } => Finding::new(Rule::ManifestInvalid, message.clone())
            .file(rel)
            .line(*line)
            .fix("correct the YAML at this line"),
        Error::Invalid { field, message, .. } => {
            Finding::new(Rule::ManifestInvalid, message.clone())
                .file(rel)
                .field(field.clone())
        }
        _ => f,
    }
}

fn required_fields(config: &CommonsConfig, m: &Loaded, findings: &mut Vec<Finding>) {
    let man = &m.manifest;
    for field in &config.policy.required_fields {
        let present = match field.as_str() {
            "title" => man.title.is_some(),
            "description" => man.description.is_some(),
            "license" => man.license.is_some(),
            "source" => man.source.is_some(),
            "files" => !man.files.is_empty(),
            _ => true,
        };
        // Evaluations carry their provenance in `eval`, not in license/source.
        let applies = man.kind != crate::manifest::Kind::Eval
            || matches!(field.as_str(), "title" | "description");
        if !present && applies {
            findings.push(
                Finding::new(Rule::FieldMissing, format!("the commons' policy requires `{field}`"))
                    .id(&man.id)
                    .file(&m.rel)
                    .field(field.clone())
                    .fix(format!("add `{field}` to the manifest (or `commons record … --{field} …`) and sign it again")),
            );
        }
    }
}

/// The members whose valid, bound signatures this manifest carries.
pub fn valid_signers(
    config: &CommonsConfig,
    keys: &Keyring,
    m: &Loaded,
    sigs: &[PathBuf],
    findings: &mut Vec<Finding>,
) -> BTreeSet<String> {
    let mut signers = BTreeSet::new();
    for sig_path in sigs {
        let sig_rel = sig_path
            .strip_prefix(m.path.parent().unwrap_or(Path::new("")))
            .unwrap_or(sig_path);
        let sig_rel = Path::new(&m.rel)
            .with_file_name(sig_rel)
            .to_string_lossy()
            .into_owned();
        let base =
            |rule: Rule, msg: String| Finding::new(rule, msg).id(&m.manifest.id).file(&sig_rel);
        let sig = match signing::read_signature(sig_path) {
            Ok(s) => s,
            Err(e) => {
                findings.push(
                    base(Rule::SignatureMalformed, e.to_string())
                        .fix("remove the file and sign again"),
                );
                continue;
            }
        };
        if let Some(rev) = config.is_revoked(&sig.key_id) {
            let why = rev
                .reason
                .as_deref()
                .map(|r| format!(" ({r})"))
                .unwrap_or_default();
            findings.push(
                base(
                    Rule::SignatureRevoked,
                    format!("signed by {}'s revoked key {}{why}", rev.name, sig.key_id),
                )
                .fix("have a member with a valid key sign again"),
            );
            continue;
        }
        let Some((member, pk)) = keys.get(&sig.key_id) else {
            findings.push(
                base(
                    Rule::SignatureUntrusted,
                    format!("signed by key {} which is not a member's key", sig.key_id),
                )
                .fix("have a member sign, or `commons key trust` this key after review"),
            );
            continue;
        };
        if let Some(b) = &sig.binding
            && b.id != m.manifest.id
        {
            findings.push(
                base(
                    Rule::SignatureMisplaced,
                    format!("this signature is for `{}`, not `{}`", b.id, m.manifest.id),
                )
                .fix("remove the misplaced signature file; sign this manifest with `commons sign`"),
            );
            continue;
        }
        if let Err(e) = signing::verify_bytes(pk, &sig.sig, &m.bytes) {
            let stale = sig
                .binding
                .as_ref()
                .is_some_and(|b| b.sha256 != m.digest.as_str());
            if stale {
                findings.push(
                    base(Rule::SignatureStale, format!("{member} signed an earlier version of this manifest; it has been edited since"))
                        .fix("review the change, then `commons sign` it again"),
                );
            } else {
                findings.push(base(Rule::SignatureInvalid, format!("{member}'s signature does not verify: {e}")).fix("the manifest or the signature was altered; restore it from git or sign again"));
            }
            continue;
        }
        match &sig.binding {
            Some(b) if b.sha256 == m.digest.as_str() => {
                signers.insert(member.clone());
            }
            _ => findings.push(
                base(
                    Rule::SignatureMisplaced,
                    "the signature's trusted comment does not bind this manifest's id and digest"
                        .into(),
                )
                .fix("sign with `commons sign`, which binds id and digest"),
            ),
        }
    }
    signers
}

/// The signature and quorum findings of one manifest, as `verify` reports
/// them: none when its signatures all verify and enough members signed.
pub fn signature_findings(commons: &Commons, m: &Loaded) -> Result<Vec<Finding>> {
    let keys = Keyring::of(&commons.config, commons.root(), &commons.config_path())?;
    let sigs = signing::signature_files(&m.path);
    let mut findings = Vec::new();
    check_signatures(&commons.config, &keys, m, &sigs, &mut findings);
    Ok(findings)
}

fn check_signatures(
    config: &CommonsConfig,
    keys: &Keyring,
    m: &Loaded,
    sigs: &[PathBuf],
    findings: &mut Vec<Finding>,
) {
    let signers = valid_signers(config, keys, m, sigs, findings);
    let quorum = config.policy.quorum as usize;
    if signers.len() < quorum {
        let who = if signers.is_empty() {
            "none".to_owned()
        } else {
            signers.iter().cloned().collect::<Vec<_>>().join(", ")
        };
        findings.push(
            Finding::new(
                Rule::QuorumNotMet,
                format!(
                    "{} of {quorum} required distinct member signature(s) (valid: {who})",
                    signers.len()
                ),
            )
            .id(&m.manifest.id)
            .file(&m.rel)
            .fix("more members review and run `commons sign`"),
        );
    }
}

/// Digests of manifests by id, loaded lazily for ids outside the targets.
struct DigestIndex<'a> {
    commons: &'a Commons,
    known: HashMap<String, Option<Sha256Hex>>,
    history: crate::pins::PinHistory<'a>,
}

impl<'a> DigestIndex<'a> {
    fn new(commons: &'a Commons, loaded: &[(PathBuf, Result<Loaded>)]) -> DigestIndex<'a> {
        let known = loaded
            .iter()
            .filter_map(|(_, r)| r.as_ref().ok())
            .map(|l| (l.manifest.id.clone(), Some(l.digest.clone())))
            .collect();
        DigestIndex {
            commons,
            known,
            history: crate::pins::PinHistory::new(commons),
        }
    }

    fn digest(&self, id: &str) -> Option<Sha256Hex> {
        if let Some(d) = self.known.get(id) {
            return d.clone();
        }
        let path = self.commons.find_path(id)?;
        crate::bounded::read(&path, crate::yaml::MAX_YAML_BYTES as u64)
            .ok()
            .map(|b| Sha256Hex::of_bytes(&b))
    }
}

fn check_references(index: &DigestIndex, m: &Loaded, findings: &mut Vec<Finding>) {
    for crate::manifest::ManifestRef {
        field, id, digest, ..
    } in m.manifest.references()
    {
        let base = |rule: Rule, msg: String| {
            Finding::new(rule, msg)
                .id(&m.manifest.id)
                .file(&m.rel)
                .field(field.clone())
        };
        let Some(actual) = index.digest(id) else {
            findings.push(
                base(
                    Rule::ReferenceMissing,
                    format!("`{id}` is not in this commons"),
                )
                .fix(format!(
                    "record or fetch `{id}`, then record this manifest again"
                )),
            );
            continue;
        };
        match digest {
            None => findings.push(
                Finding::new(
                    Rule::ReferenceUnpinned,
                    format!("the reference to `{id}` carries no digest"),
                )
                .id(&m.manifest.id)
                .file(&m.rel)
                .field(field.clone())
                .fix("record the manifest again so the reference is pinned"),
            ),
            Some(d) if *d != actual => {
                findings.push(index.history.finding(m, &field, id, d, &actual))
            }
            Some(_) => {}
        }
    }
}

/// Merges a merged evaluation's shards again, as the commons' git history
/// holds them, and compares.
#[cfg(feature = "ml")]
fn check_merge(commons: &Commons, m: &Loaded, findings: &mut Vec<Finding>) {
    use crate::manifest::{Kind, Manifest};
    let Some(eval) = m.manifest.eval.as_ref() else {
        return;
    };
    if eval.merged_from.is_empty() {
        return;
    }
    let mut shards = Vec::new();
    let mut unavailable = Vec::new();
    for r in &eval.merged_from {
        let path = crate::commons::manifest_path(Kind::Eval, &r.id);
        let rel = path.to_string_lossy().replace('\\', "/");
        let bytes = r
            .digest
            .as_ref()
            .and_then(|d| commons.history_of(&rel).ok()?.remove(d));
        match bytes.and_then(|b| Manifest::from_yaml(&String::from_utf8_lossy(&b), &path).ok()) {
            Some(shard) => shards.push(shard),
            None => unavailable.push(r.id.as_str()),
        }
    }
    let base = |f: Finding| f.id(&m.manifest.id).file(&m.rel);
    if !unavailable.is_empty() {
        findings.push(base(Finding::new(
            Rule::EvalShardsUnavailable,
            format!(
                "merged from shards this clone's history does not hold as recorded ({}): the result was not re-merged",
                unavailable.join(", ")
            ),
        ))
        .field("eval.merged_from")
        .fix("fetch the commons' full history (`git fetch --unshallow`), then verify again"));
        return;
    }
    let (message, field) = match crate::eval::merge::recheck(&m.manifest, &shards) {
        Ok(d) if d.is_empty() => return,
        Ok(d) => (
            format!(
                "differs from the merge of the {} shards it names in {}",
                shards.len(),
                d.join(", ")
            ),
            d[0].clone(),
        ),
        Err(e) => (
            format!("the shards it names do not merge: {e}"),
            "eval.merged_from".to_owned(),
        ),
    };
    findings.push(
        base(Finding::new(Rule::EvalMergeMismatch, message))
            .field(field)
            .fix("restore this file from git history, or merge the shards again (`git show` them back, then `commons eval merge`)"),
    );
}

/// Reads an evaluation's samples file, checks its digest, and adds its
/// items up again: they must give the tally the manifest records.
#[cfg(feature = "ml")]
fn check_samples(m: &Loaded, findings: &mut Vec<Finding>) {
    let Some((eval, file)) = m
        .manifest
        .eval
        .as_ref()
        .and_then(|e| e.samples.as_ref().map(|s| (e, s)))
    else {
        return;
    };
    let problem = crate::eval::samples::audited(&m.path, &m.manifest.id, eval, file)
        .err()
        .map(|u| (u.message, u.field));
    if let Some((message, field)) = problem {
        findings.push(
            Finding::new(Rule::EvalSamplesMismatch, message)
                .id(&m.manifest.id)
                .file(&m.rel)
                .field(field)
                .fix("restore the samples file and the manifest from git history, or evaluate again with --log-samples"),
        );
    }
}

/// Plans the hashing of a manifest's files (see [`crate::files`]).
/// The hashing `m`'s files take, and the folder they were found in.
fn plan_files(
    m: &Loaded,
    given: Option<&Path>,
    findings: &mut Vec<Finding>,
) -> (Vec<FileJob>, Option<PathBuf>) {
    let plan = FilePlan::new(m, given);
    findings.extend(plan.findings);
    (plan.jobs, plan.location.map(|l| l.dir))
}

/// What verify examines of one manifest: its signatures and references,
/// and its files if they were found (in `located`).
fn examined(
    config: &CommonsConfig,
    m: &Loaded,
    signatures: usize,
    no_files: bool,
    located: Option<&Path>,
) -> Examined {
    let id = &m.manifest.id;
    let mut e = Examined::default();
    e.checked.push(format!(
        "{id}: {signatures} signature(s) against a quorum of {}, {} lineage reference(s)",
        config.policy.quorum,
        m.manifest.references().len()
    ));
    let n = m.manifest.files.len();
    match (n, located) {
        (0, _) => {}
        (_, Some(dir)) => e
            .checked
            .push(format!("{id}: {n} file(s) in {}", dir.display())),
        _ if no_files => e
            .skipped
            .push(format!("{id}: {n} file(s), as --no-files asks")),
        _ => e.skipped.push(format!(
            "{id}: {n} file(s), not found locally (give --files DIR)"
        )),
    }
    e
}
