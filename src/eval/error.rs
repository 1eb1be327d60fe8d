//! Why an evaluation could not run.

use std::path::PathBuf;

#[derive(Debug, thiserror::Error)]
pub enum EvalError {
    /// A data file does not have the expected format; `line` is 1-based.
    #[error("{}:{line}: {message}", path.display())]
    Data {
        path: PathBuf,
        line: usize,
        message: String,
    },
    #[error("{}: {message}", path.display())]
    File { path: PathBuf, message: String },
    #[error("{0}")]
    Usage(String),
    #[error("the model cannot run this task: {0}")]
    Model(String),
    #[error("shards do not merge: {0}")]
    Merge(String),
    #[error("interrupted; nothing was recorded")]
    Interrupted,
    #[error(transparent)]
    Commons(#[from] crate::Error),
}

pub type Result<T, E = EvalError> = std::result::Result<T, E>;

impl EvalError {
    pub fn data(path: impl Into<PathBuf>, line: usize, message: impl Into<String>) -> EvalError {
        EvalError::Data {
            path: path.into(),
            line,
            message: message.into(),
        }
    }

    pub fn file(path: impl Into<PathBuf>, message: impl Into<String>) -> EvalError {
        EvalError::File {
            path: path.into(),
            message: message.into(),
        }
    }
}
