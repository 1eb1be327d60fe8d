//! A record's files on this machine: where they are, and whether they are
//! the bytes the manifest records.
//!
//! `verify`, `eval` and `run` all go through [`FilePlan`]: the folder given
//! by the user, else the model's snapshot in the Hugging Face cache. A file
//! may be a symlink, but it must resolve inside its containment folder: the
//! folder itself, or for a cache snapshot the repository's cache folder,
//! whose `snapshots/<commit>/<path>` links into `blobs/` by design.
//!
//! Hashing is planned as jobs (whole small files, the recorded pieces of
//! large ones) so that `verify` can run every manifest's jobs in one pool,
//! largest first; [`verified`] runs one manifest's plan for `eval` and `run`.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use rayon::prelude::*;

use crate::commons::Loaded;
use crate::digest::{HashProgress, Sha256Hex, hash_range_with, piece_ranges};
use crate::error::{Error, Result};
use crate::finding::{Finding, Severity};
use crate::manifest::{FileEntry, Manifest};
use crate::rule::Rule;

/// Where a manifest's files are, and the folder they must not escape.
#[derive(Debug, Clone)]
pub struct FileLocation {
    pub dir: PathBuf,
    /// Files (after resolving symlinks) must lie inside this folder.
    pub containment: PathBuf,
    /// Report unrecorded files (true for a folder the user named).
    pub report_extra: bool,
}

impl FileLocation {
    /// The folder given, else the record's snapshot in the Hugging Face cache.
    pub fn find(manifest: &Manifest, given: Option<&Path>) -> Option<FileLocation> {
        if let Some(dir) = given {
            return Some(FileLocation {
                dir: dir.to_path_buf(),
                containment: dir
                    .canonicalize()
                    .ok()
                    .and_then(|real| crate::hfcache::repo_of_snapshot(&real))
                    .unwrap_or_else(|| dir.to_path_buf()),
                report_extra: true,
            });
        }
        let hub = manifest.source.as_ref()?.hub.as_ref()?;
        let dir = crate::hfcache::snapshot_dir(&hub.repo_type, &hub.repo, &hub.revision)?;
        let containment = crate::hfcache::repo_of_snapshot(&dir)?;
        Some(FileLocation {
            dir,
            containment,
            report_extra: false,
        })
    }

    /// The size of a recorded file if present (None if absent), or why its
    /// path is refused.
    fn size_of(&self, entry: &FileEntry) -> std::result::Result<Option<u64>, String> {
        crate::paths::check_relative(&entry.path)?;
        let Ok(real) = self.dir.join(&entry.path).canonicalize() else {
            return Ok(None);
        };
        if !real.starts_with(&self.containment) {
            return Err(format!(
                "`{}` resolves to {}, outside {}",
                entry.path,
                real.display(),
                self.containment.display()
            ));
        }
        Ok(std::fs::metadata(&real)
            .ok()
            .filter(|m| m.is_file())
            .map(|m| m.len()))
    }
}

/// One unit of hashing work: a whole file, or one recorded piece of it.
pub struct FileJob {
    id: String,
    rel: String,
    path: PathBuf,
    index: usize,
    start: u64,
    len: u64,
    expected: Sha256Hex,
}

/// What checking one manifest's files takes: where they are, what is
/// already wrong without reading them, and the hashing left to do.
pub struct FilePlan {
    pub location: Option<FileLocation>,
    pub findings: Vec<Finding>,
    pub jobs: Vec<FileJob>,
}

impl FilePlan {
    /// Finds `m`'s files (see [`FileLocation::find`]) and checks their
    /// paths and sizes.
    pub fn new(m: &Loaded, given: Option<&Path>) -> FilePlan {
        let man = &m.manifest;
        let mut plan = FilePlan {
            location: None,
            findings: Vec::new(),
            jobs: Vec::new(),
        };
        if man.files.is_empty() {
            return plan;
        }
        let Some(mut loc) = FileLocation::find(man, given) else {
            plan.findings.push(
                Finding::new(
                    Rule::FilesNotFound,
                    "files not checked: not found locally; pass --files DIR (or ID=DIR) to check them",
                )
                .id(&man.id)
                .file(&m.rel),
            );
            return plan;
        };
        // Resolved once here, not once per file.
        if let Ok(real) = loc.containment.canonicalize() {
            loc.containment = real;
        }
        let base = |rule: Rule, i: usize, msg: String| {
            Finding::new(rule, msg)
                .id(&man.id)
                .file(&m.rel)
                .field(format!("files[{i}]"))
        };
        for (i, entry) in man.files.iter().enumerate() {
            match loc.size_of(entry) {
                Err(msg) => plan.findings.push(base(Rule::FilePathEscapes, i, msg).fix("a manifest may only name files inside its folder")),
                Ok(None) => plan.findings.push(
                    base(Rule::FileMissing, i, format!("`{}` is missing from {}", entry.path, loc.dir.display()))
                        .fix("restore the file (e.g. `commons fetch` again)"),
                ),
                Ok(Some(size)) if size != entry.size => plan.findings.push(
                    base(Rule::FileModified, i, format!("`{}` is {size} bytes; the manifest records {}", entry.path, entry.size))
                        .fix("restore the original file, or record the manifest again if the change is intended"),
                ),
                Ok(Some(_)) => plan.jobs.extend(jobs_for(m, i, entry, loc.dir.join(&entry.path))),
            }
        }
        if loc.report_extra {
            let recorded: BTreeSet<&str> = man.files.iter().map(|f| f.path.as_str()).collect();
            for extra in list_files(&loc.dir)
                .into_iter()
                .filter(|p| !recorded.contains(p.as_str()))
            {
                plan.findings.push(
                    Finding::new(
                        Rule::FileExtra,
                        format!(
                            "`{extra}` is in {} but not in the manifest",
                            loc.dir.display()
                        ),
                    )
                    .id(&man.id)
                    .file(&m.rel)
                    .fix("remove the file, or record the manifest again to include it"),
                );
            }
        }
        plan.location = Some(loc);
        plan
    }
}

/// A record's files, found and verified: what `eval` and `run` load.
#[derive(Debug, Clone)]
pub struct VerifiedFiles {
    pub dir: PathBuf,
    /// The recorded files, in the manifest's order.
    pub files: Vec<PathBuf>,
}

/// Finds `m`'s files (`given`, else the Hugging Face cache) and checks every
/// one against the manifest; any difference is an error that says which
/// file and what to do. Unrecorded files beside them are allowed.
pub fn verified(
    m: &Loaded,
    given: Option<&Path>,
    progress: &dyn HashProgress,
) -> Result<VerifiedFiles> {
    let man = &m.manifest;
    if man.files.is_empty() {
        return Err(Error::Invalid {
            path: PathBuf::from(&m.rel),
            field: "files".into(),
            message: "the manifest records no files, so they cannot be verified; record it again with --files DIR".into(),
        });
    }
    let mut plan = FilePlan::new(m, given);
    let Some(location) = plan.location.take() else {
        return Err(Error::NotFound(format!(
            "the files of `{}` are not on this machine: pass --files DIR, or `commons fetch` them into the Hugging Face cache",
            man.id
        )));
    };
    plan.findings.retain(|f| f.rule != Rule::FileExtra);
    plan.findings.extend(hash(plan.jobs, progress));
    if let Some(first) = plan.findings.iter().find(|f| f.severity == Severity::Error) {
        let all: Vec<&str> = plan.findings.iter().map(|f| f.message.as_str()).collect();
        return Err(Error::Invalid {
            path: PathBuf::from(&m.rel),
            field: first.field.clone().unwrap_or_else(|| "files".into()),
            message: format!(
                "the files of `{}` in {} do not match the manifest: {}; fetch them again, or run `commons verify {}`",
                man.id,
                location.dir.display(),
                all.join("; "),
                man.id
            ),
        });
    }
    let files = man
        .files
        .iter()
        .map(|f| location.dir.join(&f.path))
        .collect();
    Ok(VerifiedFiles {
        dir: location.dir,
        files,
    })
}

fn jobs_for(m: &Loaded, index: usize, entry: &FileEntry, path: PathBuf) -> Vec<FileJob> {
    let job = |start, len, expected: &Sha256Hex| FileJob {
        id: m.manifest.id.clone(),
        rel: m.rel.clone(),
        path: path.clone(),
        index,
        start,
        len,
        expected: expected.clone(),
    };
    match &entry.pieces {
        Some(p) => piece_ranges(entry.size, p.size)
            .into_iter()
            .zip(&p.sha256)
            .map(|((start, len), d)| job(start, len, d))
            .collect(),
        None => vec![job(0, entry.size, &entry.sha256)],
    }
}

/// Runs hashing jobs on every core, largest first; one finding per file
/// whose bytes differ from the record.
pub fn hash(mut jobs: Vec<FileJob>, progress: &dyn HashProgress) -> Vec<Finding> {
    jobs.sort_by_key(|j| std::cmp::Reverse(j.len));
    progress.start(jobs.iter().map(|j| j.len).sum());
    let bad: Vec<(String, String, usize, String)> = jobs
        .par_iter()
        .filter_map(
            |j| match hash_range_with(&j.path, j.start, j.len, progress) {
                Ok((d, n)) if d == j.expected && n == j.len => None,
                Ok(_) => Some((
                    j.id.clone(),
                    j.rel.clone(),
                    j.index,
                    j.path.display().to_string(),
                )),
                Err(e) => Some((j.id.clone(), j.rel.clone(), j.index, e.to_string())),
            },
        )
        .collect();
    let mut by_file: BTreeMap<(String, String, usize), String> = BTreeMap::new();
    for (id, rel, index, path) in bad {
        by_file.entry((id, rel, index)).or_insert(path);
    }
    by_file
        .into_iter()
        .map(|((id, rel, index), path)| {
            Finding::new(
                Rule::FileModified,
                format!("{path}: sha256 differs from the manifest"),
            )
            .id(id)
            .file(rel)
            .field(format!("files[{index}].sha256"))
            .fix(
                "restore the original file, or record the manifest again if the change is intended",
            )
        })
        .collect()
}

/// Every regular file under `dir`, relative and `/`-separated, skipping
/// `.git` and tool caches.
pub fn list_files(dir: &Path) -> Vec<String> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(&d) else {
            continue;
        };
        for entry in entries.flatten() {
            let path = entry.path();
            let name = entry.file_name();
            if name == ".git" || name == ".cache" {
                continue;
            }
            match entry.file_type() {
                Ok(t) if t.is_dir() => stack.push(path),
                Ok(_) => {
                    if let Some(rel) = crate::paths::relative_to(&path, dir) {
                        out.push(rel);
                    }
                }
                Err(_) => {}
            }
        }
    }
    out.sort();
    out
}
