//! The standard Hugging Face cache layout, shared with the Python
//! `huggingface_hub` (`$HF_HUB_CACHE`, else `$HF_HOME/hub`, else
//! `~/.cache/huggingface/hub`; `models--org--name/{blobs,snapshots,refs}`).
//!
//! A file's bytes live once in `blobs/<etag>` (the LFS sha256, or the git
//! blob sha1 of a small file); `snapshots/<commit>/<path>` is a relative
//! symlink to that blob; `refs/<branch>` holds the commit a branch pointed
//! to. A download in progress is `blobs/<etag>.incomplete`, which both this
//! crate and `huggingface_hub` resume with an HTTP range request, and a lock
//! `.locks/<repo folder>/<etag>.lock` keeps two processes from writing it at
//! once.
//!
//! Kept free of network code so that `verify` can find fetched files in
//! builds without the `hub` feature.

use std::io;
use std::path::{Path, PathBuf};

/// `$HF_HOME`, else `$XDG_CACHE_HOME/huggingface`, else `~/.cache/huggingface`.
pub fn hf_home() -> PathBuf {
    if let Some(p) = non_empty_var("HF_HOME") {
        return PathBuf::from(p);
    }
    if let Some(p) = non_empty_var("XDG_CACHE_HOME") {
        return PathBuf::from(p).join("huggingface");
    }
    let home = std::env::var_os("HOME")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from("."));
    home.join(".cache").join("huggingface")
}

/// The hub cache root from the environment.
pub fn cache_root() -> PathBuf {
    for var in ["HF_HUB_CACHE", "HUGGINGFACE_HUB_CACHE"] {
        if let Some(p) = non_empty_var(var) {
            return PathBuf::from(p);
        }
    }
    hf_home().join("hub")
}

fn non_empty_var(name: &str) -> Option<std::ffi::OsString> {
    std::env::var_os(name).filter(|v| !v.is_empty())
}

/// `models--org--name` (or `datasets--…`, `spaces--…`).
pub fn repo_folder(repo_type: &str, repo: &str) -> String {
    format!("{}s--{}", repo_type, repo.replace('/', "--"))
}

/// The snapshot folder of a repo at a commit, if it is in the cache.
pub fn snapshot_dir(repo_type: &str, repo: &str, revision: &str) -> Option<PathBuf> {
    if !matches!(repo_type, "model" | "dataset" | "space")
        || check_repo_id(repo).is_err()
        || check_revision(revision).is_err()
    {
        return None;
    }
    let dir = cache_root()
        .join(repo_folder(repo_type, repo))
        .join("snapshots")
        .join(revision);
    dir.is_dir().then_some(dir)
}

/// The repository folder of a snapshot folder (`<repo>/snapshots/<commit>`
/// beside `<repo>/blobs`), whose symlinks point into that repository's
/// blobs; None for any other folder.
pub fn repo_of_snapshot(dir: &Path) -> Option<PathBuf> {
    let snapshots = dir.parent()?;
    let repo = snapshots.parent()?;
    (snapshots.file_name()? == "snapshots" && repo.join("blobs").is_dir())
        .then(|| repo.to_path_buf())
}

/// Checks a revision before it is joined to a cache path: a 40-hex commit,
/// or a branch or tag name whose `/`-separated parts are [`safe_segment`]s
/// (`main`, `v1.0`, `refs/pr/1`; never `..`).
pub fn check_revision(revision: &str) -> Result<(), String> {
    if is_commit(revision) {
        return Ok(());
    }
    if revision.is_empty() || revision.len() > 255 {
        return Err(
            "a revision is a 40-hex commit, or a branch or tag name of 1 to 255 characters".into(),
        );
    }
    for part in revision.split('/') {
        safe_segment(part).map_err(|m| format!("revision `{revision}`: {m}"))?;
    }
    Ok(())
}

/// Checks a Hub repository id (`org/name`, or a bare `name`) before it
/// names a cache folder.
pub fn check_repo_id(repo: &str) -> Result<(), String> {
    let parts: Vec<&str> = repo.split('/').collect();
    if parts.len() > 2 || repo.len() > 200 {
        return Err(format!("repository `{repo}` is not of the form org/name"));
    }
    for part in parts {
        safe_segment(part).map_err(|m| format!("repository `{repo}`: {m}"))?;
    }
    Ok(())
}

/// One path segment from a stranger: letters, digits, `-`, `_`, `.`, not
/// empty and not starting with `.` (so never `.` or `..`).
pub fn safe_segment(part: &str) -> Result<(), String> {
    let ok = !part.is_empty()
        && !part.starts_with('.')
        && part
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'));
    if ok {
        Ok(())
    } else {
        Err(format!(
            "`{part}` is not a safe name (letters, digits, `-`, `_`, `.`, not starting with `.`)"
        ))
    }
}

/// Whether `s` is a full 40-hex commit id.
pub fn is_commit(s: &str) -> bool {
    s.len() == 40 && s.bytes().all(|b| b.is_ascii_hexdigit())
}

/// One repository's folder in the cache.
#[derive(Debug, Clone)]
pub struct RepoCache {
    root: PathBuf,
    locks: PathBuf,
}

impl RepoCache {
    pub fn new(cache_root: &Path, repo_type: &str, repo: &str) -> RepoCache {
        let folder = repo_folder(repo_type, repo);
        RepoCache {
            root: cache_root.join(&folder),
            locks: cache_root.join(".locks").join(folder),
        }
    }

    pub fn root(&self) -> &Path {
        &self.root
    }

    pub fn blob(&self, etag: &str) -> PathBuf {
        self.root.join("blobs").join(etag)
    }

    /// Where a blob is written while it downloads.
    pub fn incomplete(&self, etag: &str) -> PathBuf {
        self.root.join("blobs").join(format!("{etag}.incomplete"))
    }

    /// The lock file guarding a blob's download.
    pub fn lock_file(&self, etag: &str) -> PathBuf {
        self.locks.join(format!("{etag}.lock"))
    }

    pub fn snapshot(&self, commit: &str) -> PathBuf {
        self.root.join("snapshots").join(commit)
    }

    /// The commit a branch or tag pointed to when it was last fetched.
    pub fn read_ref(&self, name: &str) -> Option<String> {
        check_revision(name).ok()?;
        let text = std::fs::read_to_string(self.root.join("refs").join(name)).ok()?;
        let commit = text.trim();
        is_commit(commit).then(|| commit.to_owned())
    }

    pub fn write_ref(&self, name: &str, commit: &str) -> io::Result<()> {
        check_revision(name).map_err(|m| io::Error::new(io::ErrorKind::InvalidInput, m))?;
        let path = self.root.join("refs").join(name);
        std::fs::create_dir_all(path.parent().expect("refs/ has a parent"))?;
        let tmp = path.with_extension("tmp-commons");
        std::fs::write(&tmp, commit)?;
        std::fs::rename(&tmp, &path)
    }

    /// Points `snapshots/<commit>/<path>` at `blobs/<etag>` with a relative
    /// symlink, as `huggingface_hub` does, replacing any previous link.
    pub fn link(&self, commit: &str, path: &str, etag: &str) -> io::Result<PathBuf> {
        let link = self.snapshot(commit).join(path);
        let parent = link.parent().expect("snapshot paths have a parent");
        std::fs::create_dir_all(parent)?;
        let depth = path.split('/').count() + 1;
        let mut target = PathBuf::new();
        for _ in 0..depth {
            target.push("..");
        }
        target.push("blobs");
        target.push(etag);
        match std::fs::symlink_metadata(&link) {
            Ok(_) => std::fs::remove_file(&link)?,
            Err(e) if e.kind() == io::ErrorKind::NotFound => {}
            Err(e) => return Err(e),
        }
        symlink(&target, &link, &self.blob(etag))?;
        Ok(link)
    }

    /// Every file of a snapshot, `/`-separated and sorted, with the blob it
    /// resolves to.
    pub fn snapshot_files(&self, commit: &str) -> io::Result<Vec<(String, PathBuf)>> {
        let root = self.snapshot(commit);
        let mut out = Vec::new();
        walk(&root, &root, &mut out)?;
        out.sort();
        Ok(out)
    }
}

fn walk(root: &Path, dir: &Path, out: &mut Vec<(String, PathBuf)>) -> io::Result<()> {
    for entry in std::fs::read_dir(dir)? {
        let entry = entry?;
        let path = entry.path();
        if path.is_dir() {
            walk(root, &path, out)?;
        } else if let Some(rel) = crate::paths::relative_to(&path, root) {
            out.push((rel, path));
        }
    }
    Ok(())
}

#[cfg(unix)]
fn symlink(target: &Path, link: &Path, _blob: &Path) -> io::Result<()> {
    std::os::unix::fs::symlink(target, link)
}

/// Where symlinks are not available, the blob is copied (as `huggingface_hub`
/// does on Windows without developer mode).
#[cfg(not(unix))]
fn symlink(_target: &Path, link: &Path, blob: &Path) -> io::Result<()> {
    std::fs::copy(blob, link).map(|_| ())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn revisions_and_repositories_that_climb_out_are_refused() {
        for ok in [
            "main",
            "v1.0",
            "refs/pr/1",
            "0123456789abcdef0123456789abcdef01234567",
        ] {
            assert_eq!(check_revision(ok), Ok(()), "{ok}");
        }
        for bad in [
            "",
            "..",
            "../../pt/files",
            "main/../..",
            ".hidden",
            "a//b",
            "/abs",
            "a\\b",
        ] {
            assert!(check_revision(bad).is_err(), "{bad}");
        }
        assert!(check_repo_id("org/name").is_ok() && check_repo_id("gpt2").is_ok());
        for bad in ["../x", "a/b/c", "org/..", "", "org/"] {
            assert!(check_repo_id(bad).is_err(), "{bad}");
        }
        assert_eq!(snapshot_dir("model", "org/name", "../../.."), None);
    }

    #[test]
    fn folder_names_follow_huggingface_hub() {
        assert_eq!(repo_folder("model", "org/name"), "models--org--name");
        assert_eq!(repo_folder("dataset", "org/name"), "datasets--org--name");
    }

    #[test]
    fn links_are_relative_to_the_blob() {
        let dir = tempfile::tempdir().unwrap();
        let cache = RepoCache::new(dir.path(), "model", "org/name");
        std::fs::create_dir_all(cache.blob("abc").parent().unwrap()).unwrap();
        std::fs::write(cache.blob("abc"), b"x").unwrap();
        let commit = "0".repeat(40);
        let link = cache.link(&commit, "sub/dir/file.json", "abc").unwrap();
        assert_eq!(std::fs::read(&link).unwrap(), b"x");
        #[cfg(unix)]
        assert_eq!(
            std::fs::read_link(&link).unwrap(),
            Path::new("../../../../blobs/abc")
        );
        let files = cache.snapshot_files(&commit).unwrap();
        assert_eq!(files[0].0, "sub/dir/file.json");
    }

    #[test]
    fn refs_round_trip_and_reject_garbage() {
        let dir = tempfile::tempdir().unwrap();
        let cache = RepoCache::new(dir.path(), "model", "org/name");
        let commit = "a".repeat(40);
        cache.write_ref("main", &commit).unwrap();
        assert_eq!(cache.read_ref("main").as_deref(), Some(commit.as_str()));
        cache.write_ref("main", "nonsense").unwrap();
        assert_eq!(cache.read_ref("main"), None);
    }
}
