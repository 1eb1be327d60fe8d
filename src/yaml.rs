//! Strict YAML reading: errors carry file, line and column.
//!
//! serde_yaml already rejects duplicate keys and bounds alias expansion (a
//! "billion laughs" document fails with a repetition-limit error instead of
//! exhausting memory); this module adds the file name and a size limit.

use std::path::Path;

use serde::de::DeserializeOwned;

use crate::error::{Error, Result};

/// Manifests and configuration files larger than this are refused unread.
pub const MAX_YAML_BYTES: usize = 16 * 1024 * 1024;

pub fn parse<T: DeserializeOwned>(text: &str, origin: &Path) -> Result<T> {
    if text.len() > MAX_YAML_BYTES {
        return Err(Error::Yaml {
            path: origin.to_path_buf(),
            line: 1,
            column: 1,
            message: format!("file is larger than {MAX_YAML_BYTES} bytes"),
        });
    }
    serde_yaml::from_str(text).map_err(|e| {
        let (line, column) = e
            .location()
            .map(|l| (l.line(), l.column()))
            .unwrap_or((1, 1));
        Error::Yaml {
            path: origin.to_path_buf(),
            line,
            column,
            message: e.to_string(),
        }
    })
}

/// Reads and parses a YAML file.
pub fn read<T: DeserializeOwned>(path: &Path) -> Result<T> {
    let text = std::fs::read_to_string(path).map_err(|e| Error::io(path, e))?;
    parse(&text, path)
}
