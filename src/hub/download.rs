//! Downloading one file into the cache, verified as it streams.
//!
//! The bytes go to `blobs/<etag>.incomplete` and are hashed on the way; only
//! a file whose size and digest match what the Hub lists is renamed to
//! `blobs/<etag>`. An interrupted transfer keeps its `.incomplete`, and the
//! next attempt (in this process or another) asks for the rest with an HTTP
//! range request after re-hashing what is already there. A status that is
//! not 200/206 is an error, never content.

use std::fs::{File, OpenOptions};
use std::io::{BufWriter, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use reqwest::StatusCode;

use super::api::{HubApi, RepoFile, RepoKind, chain};
use super::error::{HubError, HubResult};
use super::events::{FetchObserver, Origin};
use super::integrity::{StreamDigest, Verified, hash_prefix};
use crate::hfcache::RepoCache;

/// Attempts per file before a transient failure is reported.
const MAX_ATTEMPTS: u32 = 5;
const WRITE_BUFFER: usize = 1 << 20;

/// Everything needed to fetch one file; cheap to clone into a task.
#[derive(Clone)]
pub(crate) struct FileJob {
    pub api: Arc<HubApi>,
    pub cache: RepoCache,
    pub kind: RepoKind,
    pub repo: String,
    pub commit: String,
    pub file: RepoFile,
    pub observer: Arc<dyn FetchObserver>,
}

impl FileJob {
    /// Makes the file present and verified in the cache, and links it into
    /// the snapshot.
    pub async fn run(&self) -> HubResult<(Verified, Origin)> {
        let etag = self.file.expected.etag().to_owned();
        let blob = self.cache.blob(&etag);
        self.observer.file_started(&self.file.path, self.file.size);
        let outcome = match self.cached(&blob)? {
            Some(v) => (v, Origin::Cached),
            None => {
                let blobs = blob.parent().expect("blobs/ has a parent");
                std::fs::create_dir_all(blobs).map_err(|e| HubError::io(blobs, e))?;
                let _lock = BlobLock::acquire(&self.cache.lock_file(&etag), || {
                    self.observer.waiting(&self.file.path)
                })
                .await?;
                match self.cached(&blob)? {
                    Some(v) => (v, Origin::Cached),
                    None => self.download(&blob).await?,
                }
            }
        };
        self.cache
            .link(&self.commit, &self.file.path, &etag)
            .map_err(|e| {
                HubError::io(self.cache.snapshot(&self.commit).join(&self.file.path), e)
            })?;
        self.observer.file_finished(&self.file.path, outcome.1);
        Ok(outcome)
    }

    /// A blob already in the cache, re-verified; a bad one is removed.
    fn cached(&self, blob: &Path) -> HubResult<Option<Verified>> {
        let Ok(mut file) = File::open(blob) else {
            return Ok(None);
        };
        let len = file.metadata().map_err(|e| HubError::io(blob, e))?.len();
        let mut digest = StreamDigest::for_expected(self.file.size, &self.file.expected);
        hash_prefix(&mut file, len, &mut digest).map_err(|e| HubError::io(blob, e))?;
        match digest.finish(&self.file.expected) {
            Ok(v) => {
                self.observer.advanced(&self.file.path, len);
                Ok(Some(v))
            }
            Err(_) => {
                std::fs::remove_file(blob).map_err(|e| HubError::io(blob, e))?;
                Ok(None)
            }
        }
    }

    async fn download(&self, blob: &Path) -> HubResult<(Verified, Origin)> {
        let partial_path = self.cache.incomplete(self.file.expected.etag());
        let mut restarted = false;
        loop {
            let mut partial = Partial::open(&partial_path, &self.file)?;
            let resumed_from = partial.digest.seen();
            self.observer.advanced(&self.file.path, resumed_from);
            let mut attempt = 1;
            loop {
                match self.transfer(&mut partial).await {
                    Ok(()) => break,
                    Err(e) if e.is_transient() && attempt < MAX_ATTEMPTS => {
                        self.observer
                            .retrying(&self.file.path, attempt, &e.to_string());
                        tokio::time::sleep(Duration::from_millis(100 << (attempt - 1))).await;
                        attempt += 1;
                    }
                    Err(e) => return Err(partial.abandon(e, &self.file)),
                }
            }
            let seen = partial.digest.seen();
            match partial.finish(&self.file) {
                Ok(verified) => {
                    std::fs::rename(&partial_path, blob).map_err(|e| HubError::io(blob, e))?;
                    let origin = if resumed_from > 0 {
                        Origin::Resumed { from: resumed_from }
                    } else {
                        Origin::Downloaded
                    };
                    return Ok((verified, origin));
                }
                Err(mismatch) => {
                    self.observer.rewound(&self.file.path, seen);
                    // A resumed prefix may be what is wrong: start over once.
                    if resumed_from > 0 && !restarted {
                        restarted = true;
                        continue;
                    }
                    return Err(mismatch);
                }
            }
        }
    }

    /// One request for the rest of the file, streamed into `partial`.
    async fn transfer(&self, partial: &mut Partial) -> HubResult<()> {
        let size = self.file.size;
        let start = partial.digest.seen();
        if start == size && size > 0 {
            return Ok(());
        }
        let url = self
            .api
            .resolve_url(self.kind, &self.repo, &self.commit, &self.file.path)?;
        let (mut response, hub) = self
            .api
            .get_file(&url, start, (&self.repo, &self.commit, &self.file.path))
            .await?;
        self.check_hub_headers(&url, &hub)?;
        match response.status() {
            StatusCode::RANGE_NOT_SATISFIABLE => {
                return Err(HubError::Protocol {
                    url: url.to_string(),
                    message: format!("range from byte {start} refused for a file of {size} bytes"),
                });
            }
            StatusCode::PARTIAL_CONTENT => {
                let from = content_range_start(response.headers());
                if from != Some(start) {
                    return Err(HubError::Protocol {
                        url: url.to_string(),
                        message: format!(
                            "asked for bytes from {start}, got a range starting at {from:?}"
                        ),
                    });
                }
            }
            _ if start > 0 => {
                self.observer.rewound(&self.file.path, start);
                partial.reset(&self.file)?;
            }
            _ => {}
        }
        let streamed = loop {
            match response.chunk().await {
                Ok(Some(chunk)) => {
                    if partial.digest.seen() + chunk.len() as u64 > size {
                        break Err(HubError::TooLong {
                            path: self.file.path.clone(),
                            size,
                        });
                    }
                    if let Err(e) = partial.write(&chunk) {
                        break Err(e);
                    }
                    self.observer.advanced(&self.file.path, chunk.len() as u64);
                }
                Ok(None) => break Ok(()),
                Err(e) => break Err(self.interrupted(partial, chain(&e))),
            }
        };
        partial.flush()?;
        streamed?;
        if partial.digest.seen() < size {
            return Err(self.interrupted(partial, "the server ended the body early".into()));
        }
        Ok(())
    }

    fn interrupted(&self, partial: &Partial, reason: String) -> HubError {
        HubError::Interrupted {
            path: self.file.path.clone(),
            received: partial.digest.seen(),
            size: self.file.size,
            reason,
            partial: partial.path.clone(),
        }
    }

    /// The Hub's own headers must agree with its listing.
    fn check_hub_headers(&self, url: &reqwest::Url, hub: &super::api::HubHeaders) -> HubResult<()> {
        let protocol = |message: String| HubError::Protocol {
            url: url.to_string(),
            message,
        };
        if let Some(commit) = &hub.commit
            && !commit.eq_ignore_ascii_case(&self.commit)
        {
            return Err(protocol(format!(
                "X-Repo-Commit is {commit}, not the pinned {}",
                self.commit
            )));
        }
        if let Some(size) = hub.size
            && size != self.file.size
        {
            return Err(protocol(format!(
                "X-Linked-Size is {size}, the listing says {}",
                self.file.size
            )));
        }
        if let Some(etag) = &hub.etag
            && self.file.is_lfs()
            && !etag.eq_ignore_ascii_case(self.file.expected.etag())
        {
            return Err(protocol(format!(
                "X-Linked-Etag is {etag}, the listing's sha256 is {}",
                self.file.expected.etag()
            )));
        }
        Ok(())
    }
}

/// `Content-Range: bytes START-END/TOTAL` → START.
fn content_range_start(headers: &reqwest::header::HeaderMap) -> Option<u64> {
    let value = headers.get(reqwest::header::CONTENT_RANGE)?.to_str().ok()?;
    value
        .strip_prefix("bytes ")?
        .split('-')
        .next()?
        .trim()
        .parse()
        .ok()
}

/// A `.incomplete` file being written, and the digest of what it holds.
struct Partial {
    path: PathBuf,
    writer: BufWriter<File>,
    digest: StreamDigest,
}

impl Partial {
    /// Opens (or creates) the `.incomplete` file and hashes what it already holds.
    fn open(path: &Path, file: &RepoFile) -> HubResult<Partial> {
        let io = |e| HubError::io(path, e);
        let mut handle = OpenOptions::new()
            .create(true)
            .read(true)
            .append(true)
            .open(path)
            .map_err(io)?;
        let len = handle.metadata().map_err(io)?.len();
        let mut digest = StreamDigest::for_expected(file.size, &file.expected);
        if len > file.size {
            handle.set_len(0).map_err(io)?;
        } else if len > 0 {
            handle.seek(SeekFrom::Start(0)).map_err(io)?;
            hash_prefix(&mut handle, len, &mut digest).map_err(io)?;
        }
        Ok(Partial {
            path: path.to_path_buf(),
            writer: BufWriter::with_capacity(WRITE_BUFFER, handle),
            digest,
        })
    }

    fn write(&mut self, bytes: &[u8]) -> HubResult<()> {
        self.writer
            .write_all(bytes)
            .map_err(|e| HubError::io(&self.path, e))?;
        self.digest.update(bytes);
        Ok(())
    }

    fn flush(&mut self) -> HubResult<()> {
        self.writer.flush().map_err(|e| HubError::io(&self.path, e))
    }

    /// Throws away what the file holds (the server ignored the range).
    fn reset(&mut self, file: &RepoFile) -> HubResult<()> {
        self.flush()?;
        self.writer
            .get_ref()
            .set_len(0)
            .map_err(|e| HubError::io(&self.path, e))?;
        self.digest = StreamDigest::for_expected(file.size, &file.expected);
        Ok(())
    }

    /// Checks the complete file; a bad one is removed.
    fn finish(mut self, file: &RepoFile) -> HubResult<Verified> {
        self.flush()?;
        let Partial {
            path,
            writer,
            digest,
        } = self;
        drop(writer);
        digest.finish(&file.expected).map_err(|m| {
            let _ = std::fs::remove_file(&path);
            HubError::Mismatch {
                path: file.path.clone(),
                algorithm: m.algorithm,
                expected: m.expected,
                actual: m.actual,
            }
        })
    }

    /// Gives up: keeps a non-empty prefix for the next run unless the
    /// bytes themselves are known to be wrong.
    fn abandon(mut self, error: HubError, file: &RepoFile) -> HubError {
        let _ = self.flush();
        let received = self.digest.seen();
        let keep = received > 0 && !matches!(error, HubError::TooLong { .. });
        drop(self.writer);
        if !keep {
            let _ = std::fs::remove_file(&self.path);
            return error;
        }
        match error {
            HubError::Interrupted { .. } => error,
            other => HubError::Interrupted {
                path: file.path.clone(),
                received,
                size: file.size,
                reason: other.to_string(),
                partial: self.path,
            },
        }
    }
}

/// An exclusive lock on a blob's lock file, shared with `huggingface_hub`
/// (which takes the same `flock`).
struct BlobLock {
    _file: File,
}

impl BlobLock {
    async fn acquire(path: &Path, on_wait: impl Fn()) -> HubResult<BlobLock> {
        let io = |e| HubError::io(path, e);
        std::fs::create_dir_all(path.parent().expect("lock files have a parent")).map_err(io)?;
        let file = OpenOptions::new()
            .create(true)
            .truncate(false)
            .write(true)
            .open(path)
            .map_err(io)?;
        let mut waited = false;
        while !try_lock(&file).map_err(io)? {
            if !waited {
                on_wait();
                waited = true;
            }
            tokio::time::sleep(Duration::from_millis(200)).await;
        }
        Ok(BlobLock { _file: file })
    }
}

#[cfg(unix)]
fn try_lock(file: &File) -> std::io::Result<bool> {
    use rustix::fs::{FlockOperation, flock};
    match flock(file, FlockOperation::NonBlockingLockExclusive) {
        Ok(()) => Ok(true),
        Err(rustix::io::Errno::WOULDBLOCK) => Ok(false),
        Err(e) => Err(e.into()),
    }
}

#[cfg(not(unix))]
fn try_lock(_file: &File) -> std::io::Result<bool> {
    Ok(true)
}
