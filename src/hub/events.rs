//! What a fetch tells whoever shows its progress. The hub module never
//! draws anything; the command turns these events into progress bars.

/// Where a fetched file's bytes came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "kebab-case", tag = "kind")]
pub enum Origin {
    /// Downloaded in full.
    Downloaded,
    /// Resumed from an interrupted download of `from` bytes.
    Resumed { from: u64 },
    /// Already in the cache (re-verified).
    Cached,
}

/// Receives progress events; every method has a default that ignores it.
/// Called from several threads at once.
pub trait FetchObserver: Send + Sync {
    /// The files to fetch and their total size.
    fn planned(&self, _files: usize, _bytes: u64) {}
    /// A file starts (downloading, or verifying what the cache holds).
    fn file_started(&self, _path: &str, _size: u64) {}
    /// `bytes` more of a file were received (or re-read) and hashed.
    fn advanced(&self, _path: &str, _bytes: u64) {}
    /// `bytes` already counted for a file are thrown away (the server ignored
    /// a range request, or a resumed prefix turned out to be bad).
    fn rewound(&self, _path: &str, _bytes: u64) {}
    /// A transient failure; the file is tried again.
    fn retrying(&self, _path: &str, _attempt: u32, _reason: &str) {}
    /// Waiting for another process that is downloading the same blob.
    fn waiting(&self, _path: &str) {}
    /// A file is complete and verified.
    fn file_finished(&self, _path: &str, _origin: Origin) {}
}

/// Shows nothing.
pub struct Silent;

impl FetchObserver for Silent {}
