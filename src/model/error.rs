//! Why a model file cannot be loaded: the model layer's own errors, each
//! naming the file and the tensor or part concerned. They convert into the
//! crate's [`crate::Error`] (exit status 2, as every invalid input).

use std::path::PathBuf;

#[derive(Debug, thiserror::Error)]
pub enum ModelError {
    /// A tensor the architecture needs is not in the file.
    #[error(
        "{path}: tensor `{tensor}` is missing: the file does not hold the weights its metadata describes"
    )]
    MissingTensor { path: PathBuf, tensor: String },
    /// A tensor's shape differs from what the configuration implies.
    #[error("{path}: tensor `{tensor}` has shape {got}, the model's configuration needs {want}")]
    Shape {
        path: PathBuf,
        tensor: String,
        want: String,
        got: String,
    },
    /// A tensor is stored in a type this build cannot compute with.
    #[error("{path}: tensor `{tensor}`: {message}")]
    UnsupportedType {
        path: PathBuf,
        tensor: String,
        message: String,
    },
    /// The tokenizer cannot be used with this model.
    #[error("{path}: tokenizer: {message}")]
    Tokenizer { path: PathBuf, message: String },
}
