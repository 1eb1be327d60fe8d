//! Digests computed as bytes go by, so a download is verified without a
//! second pass over the file.
//!
//! The Hub vouches for a file in one of two ways: an LFS file by the sha256
//! of its content, a small file by its git blob id (sha1 of `blob <size>\0`
//! followed by the content). Both are checked here, together with the size;
//! the sha256 (and, for large files, the piece digests) that the manifest
//! records are computed in the same pass.

use sha1::Sha1;
use sha2::{Digest, Sha256};

use crate::digest::{PIECE_SIZE, PIECES_FROM, Sha256Hex};

/// What the Hub says a file's bytes are.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Expected {
    /// An LFS file: the sha256 of its content.
    Lfs { sha256: Sha256Hex },
    /// A file stored in git: its blob id.
    GitBlob { sha1: String },
}

impl Expected {
    /// The name of the file's blob in the cache (the Hub's ETag).
    pub fn etag(&self) -> &str {
        match self {
            Expected::Lfs { sha256 } => sha256.as_str(),
            Expected::GitBlob { sha1 } => sha1,
        }
    }
}

/// The digests of a complete, verified file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Verified {
    pub size: u64,
    pub sha256: Sha256Hex,
    pub pieces: Option<Vec<Sha256Hex>>,
}

/// A verification failure: which digest, what was expected, what came.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mismatch {
    pub algorithm: &'static str,
    pub expected: String,
    pub actual: String,
}

/// Hashes a file's bytes in order as they arrive.
pub struct StreamDigest {
    size: u64,
    seen: u64,
    sha256: Sha256,
    git: Option<Sha1>,
    pieces: Option<PieceDigests>,
}

struct PieceDigests {
    current: Sha256,
    filled: u64,
    done: Vec<Sha256Hex>,
}

impl StreamDigest {
    /// Starts hashing a file that should be `size` bytes; the git blob id is
    /// computed only when `git_blob` is set.
    pub fn new(size: u64, git_blob: bool) -> StreamDigest {
        let git = git_blob.then(|| {
            let mut h = Sha1::new();
            h.update(format!("blob {size}\0").as_bytes());
            h
        });
        let pieces = (size >= PIECES_FROM).then(|| PieceDigests {
            current: Sha256::new(),
            filled: 0,
            done: Vec::new(),
        });
        StreamDigest {
            size,
            seen: 0,
            sha256: Sha256::new(),
            git,
            pieces,
        }
    }

    pub fn for_expected(size: u64, expected: &Expected) -> StreamDigest {
        StreamDigest::new(size, matches!(expected, Expected::GitBlob { .. }))
    }

    /// Bytes hashed so far.
    pub fn seen(&self) -> u64 {
        self.seen
    }

    pub fn update(&mut self, mut bytes: &[u8]) {
        self.seen += bytes.len() as u64;
        self.sha256.update(bytes);
        if let Some(git) = &mut self.git {
            git.update(bytes);
        }
        if let Some(p) = &mut self.pieces {
            while !bytes.is_empty() {
                let room = (PIECE_SIZE - p.filled) as usize;
                let take = room.min(bytes.len());
                p.current.update(&bytes[..take]);
                p.filled += take as u64;
                bytes = &bytes[take..];
                if p.filled == PIECE_SIZE {
                    let full = std::mem::replace(&mut p.current, Sha256::new());
                    p.done.push(Sha256Hex::from_hasher(full));
                    p.filled = 0;
                }
            }
        }
    }

    /// Checks size and digest against what the Hub says.
    pub fn finish(self, expected: &Expected) -> Result<Verified, Mismatch> {
        if self.seen != self.size {
            return Err(Mismatch {
                algorithm: "size",
                expected: format!("{} bytes", self.size),
                actual: format!("{} bytes", self.seen),
            });
        }
        let sha256 = Sha256Hex::from_hasher(self.sha256);
        match expected {
            Expected::Lfs { sha256: want } if *want != sha256 => {
                return Err(Mismatch {
                    algorithm: "LFS sha256",
                    expected: want.to_string(),
                    actual: sha256.to_string(),
                });
            }
            Expected::GitBlob { sha1: want } => {
                let got = hex::encode(self.git.expect("git blob digest requested").finalize());
                if !want.eq_ignore_ascii_case(&got) {
                    return Err(Mismatch {
                        algorithm: "git blob sha1",
                        expected: want.clone(),
                        actual: got,
                    });
                }
            }
            Expected::Lfs { .. } => {}
        }
        let pieces = self.pieces.map(PieceDigests::finish);
        Ok(Verified {
            size: self.seen,
            sha256,
            pieces,
        })
    }
}

impl StreamDigest {
    /// The digests of what was hashed, with nothing to check them against
    /// (a cached copy whose blob is not named by its digest).
    pub fn finish_unverified(self) -> Verified {
        let pieces = self.pieces.map(PieceDigests::finish);
        Verified {
            size: self.seen,
            sha256: Sha256Hex::from_hasher(self.sha256),
            pieces,
        }
    }
}

impl PieceDigests {
    fn finish(mut self) -> Vec<Sha256Hex> {
        if self.filled > 0 {
            self.done.push(Sha256Hex::from_hasher(self.current));
        }
        self.done
    }
}

/// Hashes a file already on disk (a cached blob, or the part of an
/// interrupted download that is resumed).
pub fn hash_prefix(
    file: &mut std::fs::File,
    len: u64,
    digest: &mut StreamDigest,
) -> std::io::Result<()> {
    use std::io::Read;
    let mut reader = file.take(len);
    let mut buf = vec![0u8; 1 << 20];
    loop {
        let n = reader.read(&mut buf)?;
        if n == 0 {
            return Ok(());
        }
        digest.update(&buf[..n]);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn git_blob_ids_match_git() {
        // `printf 'hello\n' | git hash-object --stdin`
        let expected = Expected::GitBlob {
            sha1: "ce013625030ba8dba906f756967f9e9ca394464a".into(),
        };
        let mut d = StreamDigest::for_expected(6, &expected);
        d.update(b"hel");
        d.update(b"lo\n");
        let v = d.finish(&expected).unwrap();
        assert_eq!(v.sha256, Sha256Hex::of_bytes(b"hello\n"));
        assert!(v.pieces.is_none());
    }

    #[test]
    fn lfs_digest_and_size_are_checked() {
        let good = Expected::Lfs {
            sha256: Sha256Hex::of_bytes(b"abc"),
        };
        let mut d = StreamDigest::for_expected(3, &good);
        d.update(b"abd");
        assert_eq!(d.finish(&good).unwrap_err().algorithm, "LFS sha256");
        let mut short = StreamDigest::for_expected(4, &good);
        short.update(b"abc");
        assert_eq!(short.finish(&good).unwrap_err().algorithm, "size");
    }

    #[test]
    fn pieces_split_at_piece_boundaries() {
        let size = PIECES_FROM + 10;
        let mut d = StreamDigest::new(size, false);
        let block = vec![7u8; 1 << 20];
        let mut left = size;
        while left > 0 {
            let n = left.min(block.len() as u64 - 3) as usize;
            d.update(&block[..n]);
            left -= n as u64;
        }
        let sha = Sha256Hex::from_hasher(d.sha256.clone());
        let v = d.finish(&Expected::Lfs { sha256: sha }).unwrap();
        let pieces = v.pieces.unwrap();
        assert_eq!(pieces.len(), 3);
        assert_eq!(pieces[2], Sha256Hex::of_bytes(&[7u8; 10]));
    }
}
