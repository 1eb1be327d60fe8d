//! Reading files whose size a stranger chooses (manifests from a pull
//! request, a model's JSON configuration): the size is checked from the
//! file's metadata before anything is read, and the read itself stops at the
//! limit, so a file that grows meanwhile, or is a pipe, cannot exhaust memory.

use std::fs::File;
use std::io::Read;
use std::path::Path;

use crate::error::{Error, IoContext, Result};

/// The bytes of `path`, refused unread when larger than `limit`.
pub fn read(path: &Path, limit: u64) -> Result<Vec<u8>> {
    read_from(File::open(path).at(path)?, path, limit)
}

/// [`read`] of a file that must not be a symbolic link: `None` when the
/// last component of `path` is one (it is then left unread).
pub fn read_unlinked(path: &Path, limit: u64) -> Result<Option<Vec<u8>>> {
    let mut options = std::fs::OpenOptions::new();
    options.read(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.custom_flags(libc::O_NOFOLLOW);
    }
    #[cfg(not(unix))]
    if std::fs::symlink_metadata(path)
        .at(path)?
        .file_type()
        .is_symlink()
    {
        return Ok(None);
    }
    match options.open(path) {
        Ok(file) => read_from(file, path, limit).map(Some),
        #[cfg(unix)]
        Err(e) if e.raw_os_error() == Some(libc::ELOOP) => Ok(None),
        Err(e) => Err(e).at(path),
    }
}

fn read_from(file: File, path: &Path, limit: u64) -> Result<Vec<u8>> {
    let len = file.metadata().at(path)?.len();
    if len > limit {
        return Err(too_large(path, len, limit));
    }
    let mut bytes = Vec::with_capacity(len as usize);
    file.take(limit + 1).read_to_end(&mut bytes).at(path)?;
    if bytes.len() as u64 > limit {
        return Err(too_large(path, bytes.len() as u64, limit));
    }
    Ok(bytes)
}

/// [`read`], as UTF-8 text.
pub fn read_text(path: &Path, limit: u64) -> Result<String> {
    String::from_utf8(read(path, limit)?).map_err(|e| Error::Invalid {
        path: path.to_path_buf(),
        field: "(file)".into(),
        message: format!(
            "not UTF-8 text (invalid byte at offset {})",
            e.utf8_error().valid_up_to()
        ),
    })
}

/// Refuses a file larger than `limit` from its metadata alone, for readers
/// (such as a tokenizer library) that open the file themselves.
pub fn check_size(path: &Path, limit: u64) -> Result<()> {
    let len = std::fs::metadata(path).at(path)?.len();
    if len > limit {
        return Err(too_large(path, len, limit));
    }
    Ok(())
}

fn too_large(path: &Path, len: u64, limit: u64) -> Error {
    Error::Invalid {
        path: path.to_path_buf(),
        field: "(file)".into(),
        message: format!(
            "is {len} bytes, more than the {limit} this kind of file may have; it is not a file commons wrote, remove or replace it"
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_file_over_the_limit_is_refused_from_its_size_without_reading_it() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("big.yaml");
        let file = File::create(&path).unwrap();
        // Sparse: 3 GiB that reading whole would need in memory.
        file.set_len(3 << 30).unwrap();
        let err = read(&path, 1 << 20).unwrap_err().to_string();
        assert!(err.contains("is 3221225472 bytes"), "{err}");
        std::fs::write(&path, b"kind: model\n").unwrap();
        assert_eq!(read_text(&path, 1 << 20).unwrap(), "kind: model\n");
        assert!(read(&path, 4).is_err());
    }

    #[cfg(unix)]
    #[test]
    fn a_link_is_left_unread() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("t.yaml");
        std::fs::write(&target, b"kind: model\n").unwrap();
        let link = dir.path().join("l.yaml");
        std::os::unix::fs::symlink(&target, &link).unwrap();
        assert_eq!(read_unlinked(&link, 100).unwrap(), None);
        assert_eq!(
            read_unlinked(&target, 100).unwrap().as_deref(),
            Some(&b"kind: model\n"[..])
        );
    }
}
