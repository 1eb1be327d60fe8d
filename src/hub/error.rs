//! What can stop a fetch, each case saying what failed and what to do.

use std::path::PathBuf;

#[derive(Debug, thiserror::Error)]
pub enum HubError {
    #[error(
        "repository `{repo}` not found on {endpoint} (Hub error code {code}); check the name, or, if it is private, \
set HF_TOKEN to a token that can read it"
    )]
    RepoNotFound {
        repo: String,
        endpoint: String,
        code: String,
    },

    #[error(
        "revision `{revision}` not found in `{repo}` (Hub error code RevisionNotFound); pass a branch, tag or 40-hex commit that exists"
    )]
    RevisionNotFound { repo: String, revision: String },

    #[error(
        "`{path}` not found in `{repo}` at {commit} (Hub error code EntryNotFound), although the file listing has it; try again later"
    )]
    EntryNotFound {
        repo: String,
        commit: String,
        path: String,
    },

    #[error(
        "`{repo}` is gated: {message}; accept its conditions on the Hub, then set HF_TOKEN (or run `hf auth login`) with a token that has been granted access"
    )]
    Gated { repo: String, message: String },

    #[error(
        "{url}: the Hub refused the token (HTTP {status}{code}); set HF_TOKEN to a valid token with read access"
    )]
    Unauthorized {
        url: String,
        status: u16,
        code: String,
    },

    #[error("{url}: HTTP {status}{detail}")]
    Http {
        url: String,
        status: u16,
        detail: String,
    },

    #[error("could not reach {url}: {message}")]
    Transport { url: String, message: String },

    #[error("{url}: unexpected answer from the Hub: {message}")]
    Protocol { url: String, message: String },

    #[error(
        "`{path}`: the download stopped after {received} of {size} bytes ({reason}); the bytes received are kept \
in {} and the next `commons fetch` resumes from there",
        partial.display()
    )]
    Interrupted {
        path: String,
        received: u64,
        size: u64,
        reason: String,
        partial: PathBuf,
    },

    #[error(
        "`{path}`: the bytes received do not match the Hub's {algorithm} (expected {expected}, got {actual}); \
they were discarded, nothing was kept in the cache"
    )]
    Mismatch {
        path: String,
        algorithm: &'static str,
        expected: String,
        actual: String,
    },

    #[error(
        "`{path}`: the server sent more than the {size} bytes the Hub lists; the bytes were discarded"
    )]
    TooLong { path: String, size: u64 },

    #[error("offline mode (HF_HUB_OFFLINE or --offline): {what} is not in the cache at {}; fetch it once online", cache.display())]
    NotCached { what: String, cache: PathBuf },

    #[error(
        "`{repo}` at {commit}: {filter}; check the patterns against the repository's files on the Hub"
    )]
    NoMatch {
        repo: String,
        commit: String,
        filter: String,
    },

    #[error("`{pattern}` is not a glob: {message}")]
    BadGlob { pattern: String, message: String },

    #[error("{what} `{name}` is refused: {message}")]
    BadName {
        what: &'static str,
        name: String,
        message: String,
    },

    #[error(
        "{url}: the Hub's listing points its next page at {target}, another origin than HF_ENDPOINT; \
the token is only sent to HF_ENDPOINT and the listing is refused (check HF_ENDPOINT, or the server)"
    )]
    ForeignOrigin { url: String, target: String },

    #[error("{url}: the Hub's listing has more than {pages} pages or repeats one; refused")]
    EndlessListing { url: String, pages: usize },

    #[error("the Hub listing has an unsafe path `{path}`: {message}")]
    UnsafePath { path: String, message: String },

    #[error("{}: {source}", path.display())]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
}

impl HubError {
    pub(crate) fn io(path: impl Into<PathBuf>, source: std::io::Error) -> HubError {
        HubError::Io {
            path: path.into(),
            source,
        }
    }

    /// Failures worth another attempt: the server or the network, not the request.
    pub(crate) fn is_transient(&self) -> bool {
        match self {
            HubError::Http { status, .. } => matches!(status, 408 | 429 | 500 | 502 | 503 | 504),
            HubError::Transport { .. } | HubError::Interrupted { .. } => true,
            _ => false,
        }
    }
}

pub type HubResult<T> = std::result::Result<T, HubError>;
