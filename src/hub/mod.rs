//! Fetching models and datasets from the Hugging Face Hub into the standard
//! cache, verified, and drafting their manifests from the repo card.
//!
//! [`fetch`] pins a revision to its commit, lists the repository's files
//! with the digests the Hub vouches for, and makes each one present and
//! verified in the cache (`hfcache`), downloading, resuming or re-checking
//! as needed, several files at once. [`card`] reads the repo card's front
//! matter and [`draft`] turns a fetch and a card into a draft manifest.
//! Nothing here prints: progress goes to a [`FetchObserver`].

pub mod api;
pub mod card;
pub mod config;
mod download;
pub mod draft;
pub mod error;
pub mod events;
pub mod integrity;

use std::path::PathBuf;
use std::sync::Arc;

use globset::{Glob, GlobSet, GlobSetBuilder};

pub use api::{RepoFile, RepoKind};
pub use config::HubConfig;
pub use error::{HubError, HubResult};
pub use events::{FetchObserver, Origin, Silent};

use crate::digest::Sha256Hex;
use crate::hfcache::RepoCache;
use integrity::{Expected, StreamDigest, hash_prefix};

/// The card every repository may have, always fetched: the draft is made from it.
pub const CARD: &str = "README.md";
/// Files fetched at once.
const PARALLEL_FILES: usize = 8;

/// What to fetch.
#[derive(Debug, Clone)]
pub struct FetchRequest {
    pub kind: RepoKind,
    /// `org/name`.
    pub repo: String,
    /// Branch, tag or commit.
    pub revision: String,
    /// Globs of files to fetch (all when empty); `*` crosses `/`, as in `hf download`.
    pub include: Vec<String>,
    /// Globs of files to leave out.
    pub exclude: Vec<String>,
}

/// A repository made present and verified in the cache.
#[derive(Debug, Clone)]
pub struct Fetched {
    pub endpoint: String,
    pub kind: RepoKind,
    pub repo: String,
    pub revision: String,
    pub commit: String,
    pub snapshot: PathBuf,
    pub files: Vec<FetchedFile>,
    /// Made from the cache alone.
    pub offline: bool,
}

#[derive(Debug, Clone)]
pub struct FetchedFile {
    pub path: String,
    pub size: u64,
    pub sha256: Sha256Hex,
    pub pieces: Option<Vec<Sha256Hex>>,
    pub lfs: bool,
    pub origin: Origin,
}

impl Fetched {
    /// The card's text, if the repository has one.
    pub fn card_text(&self) -> Option<String> {
        self.files.iter().any(|f| f.path == CARD).then(|| {
            crate::bounded::read_text(
                &self.snapshot.join(CARD),
                crate::yaml::MAX_YAML_BYTES as u64,
            )
            .ok()
        })?
    }
}

/// Fetches a repository at a revision (or, offline, finds it in the cache).
pub fn fetch(
    config: &HubConfig,
    request: &FetchRequest,
    observer: Arc<dyn FetchObserver>,
) -> HubResult<Fetched> {
    let filter = FileFilter::new(&request.include, &request.exclude)?;
    crate::hfcache::check_repo_id(&request.repo).map_err(|message| HubError::BadName {
        what: "repository",
        name: request.repo.clone(),
        message,
    })?;
    crate::hfcache::check_revision(&request.revision).map_err(|message| HubError::BadName {
        what: "revision",
        name: request.revision.clone(),
        message,
    })?;
    if config.offline {
        return from_cache(config, request, &filter, observer.as_ref());
    }
    let workers = std::thread::available_parallelism()
        .map_or(2, |n| n.get())
        .clamp(2, 8);
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(workers)
        .enable_all()
        .build()
        .map_err(|e| HubError::io("tokio runtime", e))?;
    runtime.block_on(from_hub(config, request, &filter, observer))
}

async fn from_hub(
    config: &HubConfig,
    request: &FetchRequest,
    filter: &FileFilter,
    observer: Arc<dyn FetchObserver>,
) -> HubResult<Fetched> {
    let api = Arc::new(api::HubApi::new(config.clone())?);
    let commit = api
        .resolve_commit(request.kind, &request.repo, &request.revision)
        .await?;
    let cache = RepoCache::new(&config.cache, request.kind.singular(), &request.repo);
    if !crate::hfcache::is_commit(&request.revision) {
        cache
            .write_ref(&request.revision, &commit)
            .map_err(|e| HubError::io(cache.root().join("refs"), e))?;
    }
    let listed = api.list_files(request.kind, &request.repo, &commit).await?;
    for file in &listed {
        crate::paths::check_relative(&file.path).map_err(|message| HubError::UnsafePath {
            path: file.path.clone(),
            message,
        })?;
    }
    let mut files: Vec<RepoFile> = listed
        .into_iter()
        .filter(|f| filter.keeps(&f.path) || f.path == CARD)
        .collect();
    if !files.iter().any(|f| filter.keeps(&f.path)) {
        return Err(filter.nothing_matched(&request.repo, &commit));
    }
    files.sort_by(|a, b| b.size.cmp(&a.size).then(a.path.cmp(&b.path)));
    observer.planned(files.len(), files.iter().map(|f| f.size).sum());

    let limit = Arc::new(tokio::sync::Semaphore::new(PARALLEL_FILES));
    let mut tasks = tokio::task::JoinSet::new();
    for file in files {
        let job = download::FileJob {
            api: api.clone(),
            cache: cache.clone(),
            kind: request.kind,
            repo: request.repo.clone(),
            commit: commit.clone(),
            file,
            observer: observer.clone(),
        };
        let limit = limit.clone();
        tasks.spawn(async move {
            let _permit = limit
                .acquire_owned()
                .await
                .expect("the semaphore is never closed");
            let result = job.run().await;
            (job.file, result)
        });
    }
    let mut done = Vec::new();
    let mut failed: Vec<(String, HubError)> = Vec::new();
    while let Some(joined) = tasks.join_next().await {
        let (file, result) = joined.expect("download tasks do not panic");
        match result {
            Ok((v, origin)) => done.push(fetched_file(&file, v, origin)),
            Err(e) => failed.push((file.path, e)),
        }
    }
    failed.sort_by(|a, b| a.0.cmp(&b.0));
    if let Some((_, first)) = failed.into_iter().next() {
        return Err(first);
    }
    done.sort_by(|a, b| a.path.cmp(&b.path));
    Ok(Fetched {
        endpoint: config.endpoint.clone(),
        kind: request.kind,
        repo: request.repo.clone(),
        revision: request.revision.clone(),
        snapshot: cache.snapshot(&commit),
        commit,
        files: done,
        offline: false,
    })
}

fn fetched_file(file: &RepoFile, v: integrity::Verified, origin: Origin) -> FetchedFile {
    FetchedFile {
        path: file.path.clone(),
        size: v.size,
        sha256: v.sha256,
        pieces: v.pieces,
        lfs: file.is_lfs(),
        origin,
    }
}

/// Offline: the snapshot as the cache holds it, each file checked against
/// the content address its blob is named by.
fn from_cache(
    config: &HubConfig,
    request: &FetchRequest,
    filter: &FileFilter,
    observer: &dyn FetchObserver,
) -> HubResult<Fetched> {
    let cache = RepoCache::new(&config.cache, request.kind.singular(), &request.repo);
    let what = format!(
        "{} `{}` at `{}`",
        request.kind.singular(),
        request.repo,
        request.revision
    );
    let not_cached = || HubError::NotCached {
        what: what.clone(),
        cache: config.cache.clone(),
    };
    let commit = if crate::hfcache::is_commit(&request.revision) {
        request.revision.to_ascii_lowercase()
    } else {
        cache.read_ref(&request.revision).ok_or_else(not_cached)?
    };
    let snapshot = cache.snapshot(&commit);
    let listed = cache.snapshot_files(&commit).map_err(|_| not_cached())?;
    let files: Vec<(String, PathBuf)> = listed
        .into_iter()
        .filter(|(path, _)| filter.keeps(path) || path == CARD)
        .collect();
    if !files.iter().any(|(path, _)| filter.keeps(path)) {
        return Err(filter.nothing_matched(&request.repo, &commit));
    }
    observer.planned(
        files.len(),
        files
            .iter()
            .map(|(_, p)| std::fs::metadata(p).map_or(0, |m| m.len()))
            .sum(),
    );
    let mut out = Vec::new();
    for (path, on_disk) in files {
        out.push(verify_cached(&path, &on_disk, observer)?);
    }
    Ok(Fetched {
        endpoint: config.endpoint.clone(),
        kind: request.kind,
        repo: request.repo.clone(),
        revision: request.revision.clone(),
        commit,
        snapshot,
        files: out,
        offline: true,
    })
}

fn verify_cached(
    path: &str,
    on_disk: &std::path::Path,
    observer: &dyn FetchObserver,
) -> HubResult<FetchedFile> {
    let io = |e| HubError::io(on_disk, e);
    let blob_name = std::fs::canonicalize(on_disk)
        .ok()
        .and_then(|p| p.file_name().map(|n| n.to_string_lossy().into_owned()))
        .unwrap_or_default();
    let expected = match Sha256Hex::try_from(blob_name.clone()) {
        Ok(sha256) => Some(Expected::Lfs { sha256 }),
        Err(_) if crate::hfcache::is_commit(&blob_name) => {
            Some(Expected::GitBlob { sha1: blob_name })
        }
        Err(_) => None,
    };
    let mut file = std::fs::File::open(on_disk).map_err(io)?;
    let size = file.metadata().map_err(io)?.len();
    observer.file_started(path, size);
    let mut digest = StreamDigest::new(size, matches!(expected, Some(Expected::GitBlob { .. })));
    hash_prefix(&mut file, size, &mut digest).map_err(io)?;
    observer.advanced(path, size);
    let lfs = !matches!(expected, Some(Expected::GitBlob { .. }));
    let v = match &expected {
        Some(expected) => digest.finish(expected).map_err(|m| HubError::Mismatch {
            path: path.to_owned(),
            algorithm: m.algorithm,
            expected: m.expected,
            actual: m.actual,
        })?,
        None => digest.finish_unverified(),
    };
    observer.file_finished(path, Origin::Cached);
    Ok(FetchedFile {
        path: path.to_owned(),
        size: v.size,
        sha256: v.sha256,
        pieces: v.pieces,
        lfs,
        origin: Origin::Cached,
    })
}

/// `--include` / `--exclude`, read as `hf download` reads them.
struct FileFilter {
    include: Option<GlobSet>,
    exclude: Option<GlobSet>,
    patterns: Vec<String>,
}

impl FileFilter {
    fn new(include: &[String], exclude: &[String]) -> HubResult<FileFilter> {
        Ok(FileFilter {
            include: globs(include)?,
            exclude: globs(exclude)?,
            patterns: include.to_vec(),
        })
    }

    fn keeps(&self, path: &str) -> bool {
        self.include.as_ref().is_none_or(|g| g.is_match(path))
            && !self.exclude.as_ref().is_some_and(|g| g.is_match(path))
    }

    fn nothing_matched(&self, repo: &str, commit: &str) -> HubError {
        let filter = if self.patterns.is_empty() {
            "--exclude leaves no file".to_owned()
        } else {
            format!("no file matches --include {}", self.patterns.join(" "))
        };
        HubError::NoMatch {
            repo: repo.to_owned(),
            commit: commit.to_owned(),
            filter,
        }
    }
}

fn globs(patterns: &[String]) -> HubResult<Option<GlobSet>> {
    if patterns.is_empty() {
        return Ok(None);
    }
    let mut set = GlobSetBuilder::new();
    for pattern in patterns {
        let pattern = if pattern.ends_with('/') {
            format!("{pattern}*")
        } else {
            pattern.clone()
        };
        let glob = Glob::new(&pattern).map_err(|e| HubError::BadGlob {
            pattern: pattern.clone(),
            message: e.to_string(),
        })?;
        set.add(glob);
    }
    set.build().map(Some).map_err(|e| HubError::BadGlob {
        pattern: patterns.join(" "),
        message: e.to_string(),
    })
}
