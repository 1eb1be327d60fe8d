//! Path safety: nothing a manifest names may escape its folder.

use std::path::{Component, Path, PathBuf};

use crate::error::{Error, Result};

/// Checks that `path` is a plain relative path (`/`-separated, no `..`, not
/// absolute, no empty or `.` segments, no backslashes).
pub fn check_relative(path: &str) -> std::result::Result<(), String> {
    if path.is_empty() {
        return Err("path is empty".into());
    }
    if path.starts_with('/') || path.contains('\\') || path.contains(':') {
        return Err(format!(
            "`{path}` must be a relative path inside its folder"
        ));
    }
    for part in path.split('/') {
        if part.is_empty() || part == "." || part == ".." {
            return Err(format!(
                "`{path}` escapes or is not normalised (segment `{part}`)"
            ));
        }
    }
    Ok(())
}

/// Joins a checked relative path to `root` and makes sure that, after
/// resolving symlinks, the result still lies inside `root`.
pub fn resolve_inside(root: &Path, relative: &str) -> Result<PathBuf> {
    check_relative(relative).map_err(|m| Error::Invalid {
        path: root.to_path_buf(),
        field: "path".into(),
        message: m,
    })?;
    let joined = root.join(relative);
    let canonical_root = root.canonicalize().map_err(|e| Error::io(root, e))?;
    match joined.canonicalize() {
        Ok(real) if real.starts_with(&canonical_root) => Ok(joined),
        Ok(real) => Err(Error::Invalid {
            path: joined.clone(),
            field: "path".into(),
            message: format!(
                "resolves to {} outside {}",
                real.display(),
                canonical_root.display()
            ),
        }),
        Err(e) => Err(Error::io(joined, e)),
    }
}

/// `path` relative to `root`, `/`-separated.
pub fn relative_to(path: &Path, root: &Path) -> Option<String> {
    let rel = path.strip_prefix(root).ok()?;
    let mut out = String::with_capacity(rel.as_os_str().len());
    for c in rel.components() {
        match c {
            Component::Normal(s) => {
                if !out.is_empty() {
                    out.push('/');
                }
                out.push_str(s.to_str()?);
            }
            _ => return None,
        }
    }
    Some(out)
}
