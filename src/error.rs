//! The library's error type: everything that stops a command from running.
//!
//! Findings (a bad signature, a license violation) are not errors; they are
//! values in a report. An `Error` means the command could not do its job:
//! unreadable input, malformed YAML, a wrong password. Every variant names the
//! file (and, where there is one, the field or line) and what to do.

use std::path::PathBuf;

#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("{path}: {source}")]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("{path}:{line}:{column}: {message}")]
    Yaml {
        path: PathBuf,
        line: usize,
        column: usize,
        message: String,
    },
    #[error("{path}: field `{field}`: {message}")]
    Invalid {
        path: PathBuf,
        field: String,
        message: String,
    },
    #[error("{path}: {message}")]
    Key { path: PathBuf, message: String },
    #[error("git: {0}")]
    Git(#[from] git2::Error),
    /// A model file that cannot be loaded (`model`).
    #[cfg(feature = "ml")]
    #[error(transparent)]
    Model(#[from] crate::model::ModelError),
    #[error("{0}")]
    NotFound(String),
    #[error("{0}")]
    Usage(String),
    #[error("{0}")]
    Other(String),
}

pub type Result<T, E = Error> = std::result::Result<T, E>;

impl Error {
    /// Wraps an I/O error with the path it concerns.
    pub fn io(path: impl Into<PathBuf>, source: std::io::Error) -> Error {
        Error::Io {
            path: path.into(),
            source,
        }
    }
}

/// Adds the path to an I/O result.
pub trait IoContext<T> {
    fn at(self, path: impl Into<PathBuf>) -> Result<T>;
}

impl<T> IoContext<T> for std::io::Result<T> {
    fn at(self, path: impl Into<PathBuf>) -> Result<T> {
        self.map_err(|e| Error::io(path, e))
    }
}
