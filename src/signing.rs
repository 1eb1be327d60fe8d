//! Manifest signatures: minisign (Ed25519, prehashed), one `.minisig` file
//! per signer beside the manifest, readable by the `minisign` tool itself:
//!
//! ```text
//! manifests/models/org/name.yaml
//! manifests/models/org/name.yaml.alice.minisig
//! minisign -Vm name.yaml -x name.yaml.alice.minisig -p keys/alice.pub
//! ```
//!
//! The trusted comment (covered by the signature) binds the signature to the
//! manifest's id, kind and sha256, so a signature moved beside another
//! manifest, or left behind after an edit, is told apart from a forgery.

use std::io::Cursor;
use std::path::{Path, PathBuf};

use minisign::{PublicKey, SecretKey, SignatureBox};

use crate::digest::Sha256Hex;
use crate::error::{Error, Result};
use crate::manifest::Manifest;

const COMMENT_TAG: &str = "commons-manifest";

/// What a signature's trusted comment says it signs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Binding {
    pub id: String,
    pub kind: String,
    pub sha256: String,
    pub signer: String,
    pub timestamp: u64,
}

impl Binding {
    pub fn to_comment(&self) -> String {
        format!(
            "{COMMENT_TAG} id={} kind={} sha256={} signer={} timestamp={}",
            self.id, self.kind, self.sha256, self.signer, self.timestamp
        )
    }

    /// Parses a trusted comment written by [`to_comment`](Self::to_comment).
    pub fn parse(comment: &str) -> Option<Binding> {
        let mut words = comment.split_whitespace();
        if words.next()? != COMMENT_TAG {
            return None;
        }
        let mut b = Binding {
            id: String::new(),
            kind: String::new(),
            sha256: String::new(),
            signer: String::new(),
            timestamp: 0,
        };
        for word in words {
            let (k, v) = word.split_once('=')?;
            match k {
                "id" => b.id = v.to_owned(),
                "kind" => b.kind = v.to_owned(),
                "sha256" => b.sha256 = v.to_owned(),
                "signer" => b.signer = v.to_owned(),
                "timestamp" => b.timestamp = v.parse().ok()?,
                _ => {}
            }
        }
        (!b.id.is_empty() && !b.sha256.is_empty()).then_some(b)
    }
}

/// The signature file of `signer` for the manifest at `manifest_path`.
pub fn signature_path(manifest_path: &Path, signer: &str) -> PathBuf {
    let mut name = manifest_path.file_name().unwrap_or_default().to_os_string();
    name.push(format!(".{signer}.minisig"));
    manifest_path.with_file_name(name)
}

/// Every signature file beside a manifest, sorted.
pub fn signature_files(manifest_path: &Path) -> Vec<PathBuf> {
    let Some(dir) = manifest_path.parent() else {
        return Vec::new();
    };
    let Some(base) = manifest_path.file_name().and_then(|n| n.to_str()) else {
        return Vec::new();
    };
    let prefix = format!("{base}.");
    let mut out: Vec<PathBuf> = std::fs::read_dir(dir)
        .into_iter()
        .flatten()
        .flatten()
        .map(|e| e.path())
        .filter(|p| {
            p.file_name()
                .and_then(|n| n.to_str())
                .is_some_and(|n| n.starts_with(&prefix) && n.ends_with(".minisig"))
        })
        .collect();
    out.sort();
    out
}

/// Signature files by the path of the manifest they sit beside.
pub type SignatureIndex = std::collections::HashMap<PathBuf, Vec<PathBuf>>;

/// Every signature file under `manifests/`, by the manifest it sits beside.
///
/// One walk of the folder: looking beside each manifest in turn
/// ([`signature_files`]) lists a folder of n manifests n times.
pub fn signature_index(root: &Path) -> Result<SignatureIndex> {
    let mut index = SignatureIndex::new();
    let base = root.join("manifests");
    if !base.is_dir() {
        return Ok(index);
    }
    let mut stack = vec![base];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).map_err(|e| Error::io(&dir, e))? {
            let entry = entry.map_err(|e| Error::io(&dir, e))?;
            let path = entry.path();
            if entry.file_type().map_err(|e| Error::io(&path, e))?.is_dir() {
                stack.push(path);
                continue;
            }
            let Some(name) = path.file_name().and_then(|n| n.to_str()) else {
                continue;
            };
            let Some(stem) = name.strip_suffix(".minisig") else {
                continue;
            };
            let Some(pos) = stem.rfind(".yaml.") else {
                continue;
            };
            let manifest = path.with_file_name(&stem[..pos + 5]);
            index.entry(manifest).or_default().push(path);
        }
    }
    for sigs in index.values_mut() {
        sigs.sort();
    }
    Ok(index)
}

/// Signs a manifest's bytes; returns the `.minisig` text.
pub fn sign(
    manifest: &Manifest,
    bytes: &[u8],
    signer: &str,
    pk: &PublicKey,
    sk: &SecretKey,
) -> Result<String> {
    sign_record(
        &manifest.id,
        &manifest.kind.to_string(),
        bytes,
        signer,
        pk,
        sk,
    )
}

/// Signs any record of the commons (a manifest, a governance version, a
/// snapshot), binding `id`, `kind` and the bytes' sha256 in the trusted
/// comment.
pub fn sign_record(
    id: &str,
    kind: &str,
    bytes: &[u8],
    signer: &str,
    pk: &PublicKey,
    sk: &SecretKey,
) -> Result<String> {
    let binding = Binding {
        id: id.to_owned(),
        kind: kind.to_owned(),
        sha256: Sha256Hex::of_bytes(bytes).to_string(),
        signer: signer.to_owned(),
        timestamp: std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_secs())
            .unwrap_or(0),
    };
    let untrusted = format!("signature by commons member {signer} of {id}");
    let sig = minisign::sign(
        Some(pk),
        sk,
        Cursor::new(bytes),
        Some(&binding.to_comment()),
        Some(&untrusted),
    )
    .map_err(|e| Error::Other(format!("signing {id} failed: {e}")))?;
    Ok(sig.into_string())
}

/// Reads a `.minisig` text (already in memory).
pub fn parse_signature(path: &Path, text: &str) -> Result<SignatureFile> {
    let sig = SignatureBox::from_string(text).map_err(|e| Error::Key {
        path: path.to_path_buf(),
        message: format!("not a minisign signature: {e}"),
    })?;
    let key_id = crate::keys::key_id(sig.keynum());
    let binding = sig.trusted_comment().ok().and_then(|c| Binding::parse(&c));
    Ok(SignatureFile {
        path: path.to_path_buf(),
        sig,
        key_id,
        binding,
    })
}

/// A signature file, read but not yet checked.
pub struct SignatureFile {
    pub path: PathBuf,
    pub sig: SignatureBox,
    pub key_id: String,
    pub binding: Option<Binding>,
}

/// A `.minisig` file is a few hundred bytes; anything past this is refused unread.
pub const MAX_SIGNATURE_BYTES: u64 = 64 * 1024;

/// Reads a `.minisig` file.
pub fn read_signature(path: &Path) -> Result<SignatureFile> {
    let text = crate::bounded::read_text(path, MAX_SIGNATURE_BYTES)?;
    parse_signature(path, &text)
}

/// Checks the signature over `bytes` with `pk`.
pub fn verify_bytes(
    pk: &PublicKey,
    sig: &SignatureBox,
    bytes: &[u8],
) -> std::result::Result<(), String> {
    minisign::verify(pk, sig, Cursor::new(bytes), true, false, false).map_err(|e| e.to_string())
}
