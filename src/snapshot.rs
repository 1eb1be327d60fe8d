//! The signed snapshot: every manifest's path and digest, with a version that
//! only grows (TUF's snapshot role). It lets `verify` notice what signatures
//! alone cannot: a manifest deleted, a manifest rolled back to an older
//! signed version together with its old signature, or the whole repository
//! reset to an older state.
//!
//! `snapshot.yaml` sits at the root with its signatures beside it
//! (`snapshot.yaml.<member>.minisig`); one member of the trusted governance
//! suffices, because the snapshot only vouches for what the tree held, while
//! each manifest still needs its own quorum.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use minisign::{PublicKey, SecretKey};
use serde::{Deserialize, Serialize};

use crate::commons::Change;
use crate::digest::Sha256Hex;
use crate::error::{Error, IoContext, Result};
use crate::finding::Finding;
use crate::governance::keyring::Keyring;
use crate::rule::Rule;

pub const FILE: &str = "snapshot.yaml";
pub const KIND: &str = "snapshot";
const SCHEMA: &str = "commons/snapshot/v1";

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Snapshot {
    pub schema: String,
    /// Grows by one with every snapshot.
    pub version: u64,
    /// The governance version it was made under.
    pub governance: u64,
    /// When it was made (RFC 3339, UTC).
    pub created: String,
    /// When it stops being fresh, if the policy sets an expiry.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expires: Option<String>,
    /// Every manifest, by its path relative to the root.
    #[serde(default)]
    pub manifests: BTreeMap<String, Entry>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Entry {
    pub sha256: Sha256Hex,
    /// Grows by one each time the manifest changes.
    pub version: u64,
    /// Digests of its earlier versions, oldest first.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub previous: Vec<Sha256Hex>,
}

/// The snapshot in the tree, with its bytes and signatures.
pub struct Signed {
    pub snapshot: Snapshot,
    pub bytes: Vec<u8>,
    pub digest: Sha256Hex,
    pub signatures: Vec<(String, String)>,
}

/// Reads `snapshot.yaml` and its signatures, if there is one.
pub fn load(root: &Path) -> Result<Option<Signed>> {
    let path = root.join(FILE);
    if !path.is_file() {
        return Ok(None);
    }
    let bytes = crate::bounded::read(&path, crate::yaml::MAX_YAML_BYTES as u64)?;
    let text = std::str::from_utf8(&bytes).map_err(|_| Error::Invalid {
        path: FILE.into(),
        field: "(file)".into(),
        message: "not UTF-8 text".into(),
    })?;
    let snapshot: Snapshot = crate::yaml::parse(text, Path::new(FILE))?;
    let mut signatures = Vec::new();
    for entry in std::fs::read_dir(root).at(root)? {
        let entry = entry.at(root)?;
        let name = entry.file_name().to_string_lossy().into_owned();
        if name.starts_with("snapshot.yaml.") && name.ends_with(".minisig") {
            let text =
                crate::bounded::read_text(&entry.path(), crate::signing::MAX_SIGNATURE_BYTES)?;
            signatures.push((name, text));
        }
    }
    signatures.sort();
    Ok(Some(Signed {
        digest: Sha256Hex::of_bytes(&bytes),
        snapshot,
        bytes,
        signatures,
    }))
}

impl Signed {
    /// Members of `keys` whose signatures bind and verify.
    pub fn signers(&self, keys: &Keyring) -> BTreeSet<String> {
        self.signatures
            .iter()
            .filter_map(|(rel, text)| {
                let sig = crate::signing::parse_signature(Path::new(rel), text).ok()?;
                let b = sig.binding.as_ref()?;
                if b.kind != KIND || b.sha256 != self.digest.as_str() {
                    return None;
                }
                let (member, pk) = keys.get(&sig.key_id)?;
                crate::signing::verify_bytes(pk, &sig.sig, &self.bytes)
                    .ok()
                    .map(|()| member.clone())
            })
            .collect()
    }
}

/// The snapshot that follows `old` for the manifests now in the tree.
pub fn next(
    old: Option<&Snapshot>,
    tree: &BTreeMap<String, Sha256Hex>,
    governance: u64,
    expiry_days: Option<u32>,
) -> Snapshot {
    let now = time::OffsetDateTime::now_utc();
    let manifests = tree
        .iter()
        .map(|(rel, digest)| {
            let entry = match old.and_then(|o| o.manifests.get(rel)) {
                Some(e) if e.sha256 == *digest => e.clone(),
                Some(e) => {
                    let mut previous = e.previous.clone();
                    previous.push(e.sha256.clone());
                    Entry {
                        sha256: digest.clone(),
                        version: e.version + 1,
                        previous,
                    }
                }
                None => Entry {
                    sha256: digest.clone(),
                    version: 1,
                    previous: Vec::new(),
                },
            };
            (rel.clone(), entry)
        })
        .collect();
    Snapshot {
        schema: SCHEMA.into(),
        version: old.map(|o| o.version + 1).unwrap_or(1),
        governance,
        created: rfc3339(now),
        expires: expiry_days.map(|d| rfc3339(now + time::Duration::days(d.into()))),
        manifests,
    }
}

fn rfc3339(t: time::OffsetDateTime) -> String {
    t.replace_nanosecond(0)
        .unwrap_or(t)
        .format(&time::format_description::well_known::Rfc3339)
        .expect("UTC times format")
}

/// A new signed snapshot of `tree` by `member`, unless the one in the tree
/// already lists exactly this and `member` has signed it. Returns the files
/// to write and the signature files (for older bytes) to remove.
pub fn refresh(
    root: &Path,
    tree: &BTreeMap<String, Sha256Hex>,
    governance: u64,
    expiry_days: Option<u32>,
    member: &str,
    pk: &PublicKey,
    sk: &SecretKey,
) -> Result<Option<Refresh>> {
    let old = load(root).ok().flatten();
    if let Some(o) = &old {
        let same = o.snapshot.governance == governance
            && o.snapshot.manifests.len() == tree.len()
            && o.snapshot
                .manifests
                .iter()
                .all(|(rel, e)| tree.get(rel) == Some(&e.sha256));
        let mine = crate::signing::signature_path(Path::new(FILE), member);
        let signed = o.signatures.iter().any(|(rel, _)| Path::new(rel) == mine);
        if same && signed && !expired(&o.snapshot) {
            return Ok(None);
        }
    }
    let snap = next(
        old.as_ref().map(|o| &o.snapshot),
        tree,
        governance,
        expiry_days,
    );
    let bytes = serde_yaml::to_string(&snap)
        .expect("snapshots serialise")
        .into_bytes();
    let id = format!("snapshot/{}", snap.version);
    let sig = crate::signing::sign_record(&id, KIND, &bytes, member, pk, sk)?;
    let sig_rel = crate::signing::signature_path(Path::new(FILE), member)
        .to_string_lossy()
        .into_owned();
    let removals = old
        .map(|o| {
            o.signatures
                .into_iter()
                .map(|(r, _)| r)
                .filter(|r| *r != sig_rel)
                .collect()
        })
        .unwrap_or_default();
    Ok(Some(Refresh {
        version: snap.version,
        changes: vec![Change::new(FILE, bytes), Change::new(sig_rel, sig)],
        removals,
    }))
}

/// A new signed snapshot: its version, the files to write, and the
/// signature files (of older bytes) to remove.
pub struct Refresh {
    pub version: u64,
    pub changes: Vec<Change>,
    pub removals: Vec<String>,
}

fn expired(s: &Snapshot) -> bool {
    s.expires.as_deref().is_some_and(|e| {
        time::OffsetDateTime::parse(e, &time::format_description::well_known::Rfc3339)
            .map(|t| t < time::OffsetDateTime::now_utc())
            .unwrap_or(true)
    })
}

/// What verify knows when it compares the tree with the snapshot.
pub struct Comparison<'a> {
    pub snapshot: Option<&'a Signed>,
    /// Manifests in the tree (path → digest); with `whole`, all of them.
    pub tree: &'a BTreeMap<String, Sha256Hex>,
    pub whole: bool,
    pub keys: &'a Keyring,
    /// The newest snapshot version this clone has verified.
    pub seen: u64,
    /// The accepted governance version.
    pub governance: u64,
    /// Manifests already failing for another reason (a missing signature):
    /// not being in the snapshot adds nothing to that.
    pub failing: &'a BTreeSet<String>,
}

/// Findings of comparing the tree with the latest snapshot.
pub fn compare(c: &Comparison) -> Vec<Finding> {
    let mut out = Vec::new();
    let Some(s) = c.snapshot else {
        if c.seen > 0 || !c.tree.is_empty() {
            out.push(
                Finding::new(
                    Rule::SnapshotMissing,
                    if c.seen > 0 {
                        format!(
                            "there is no {FILE}, but this clone has verified snapshot version {}",
                            c.seen
                        )
                    } else {
                        format!(
                            "there is no {FILE}: deleted or rolled-back manifests cannot be told"
                        )
                    },
                )
                .file(FILE)
                .fix("a member runs `commons snapshot` (or `commons sign`) to sign one"),
            );
        }
        return out;
    };
    let snap = &s.snapshot;
    let err = |rule: Rule, msg: String, fix: &str| Finding::new(rule, msg).file(FILE).fix(fix);
    if s.signers(c.keys).is_empty() {
        out.push(err(
            Rule::SnapshotUnsigned,
            format!(
                "snapshot version {} carries no valid member signature",
                snap.version
            ),
            "a member runs `commons snapshot` to sign the current state",
        ));
    }
    if snap.version < c.seen {
        out.push(err(
            Rule::SnapshotRollback,
            format!(
                "snapshot version {} is older than version {} this clone has already verified: the commons was rolled back",
                snap.version, c.seen
            ),
            "fetch the newest state from a trusted remote; do not accept the older one",
        ));
    }
    if snap.governance > c.governance {
        out.push(err(
            Rule::SnapshotRollback,
            format!(
                "snapshot version {} was made under governance version {}, but only version {} is accepted here",
                snap.version, snap.governance, c.governance
            ),
            "restore the newer governance versions and their signatures",
        ));
    }
    if expired(snap) {
        out.push(err(
            Rule::SnapshotExpired,
            format!(
                "snapshot version {} expired at {}",
                snap.version,
                snap.expires.as_deref().unwrap_or("?")
            ),
            "a member runs `commons snapshot` to sign a fresh one",
        ));
    }
    for (rel, digest) in c.tree {
        match snap.manifests.get(rel) {
            Some(e) if e.sha256 == *digest => {}
            Some(e) if e.previous.contains(digest) => out.push(
                Finding::new(
                    Rule::ManifestRolledBack,
                    format!(
                        "this is an older version of the manifest ({}) than snapshot version {} lists (version {}, {})",
                        digest.short(),
                        snap.version,
                        e.version,
                        e.sha256.short()
                    ),
                )
                .file(rel.clone())
                .fix("restore the newest version from git history"),
            ),
            _ if c.failing.contains(rel) => {}
            _ => out.push(
                Finding::new(
                    Rule::ManifestNotInSnapshot,
                    format!(
                        "not in snapshot version {} as it stands: not yet accepted by a member",
                        snap.version
                    ),
                )
                .file(rel.clone())
                .fix("members review it and run `commons sign`"),
            ),
        }
    }
    if c.whole {
        for (rel, e) in &snap.manifests {
            if !c.tree.contains_key(rel) {
                out.push(
                    Finding::new(
                        Rule::ManifestDeleted,
                        format!(
                            "snapshot version {} lists this manifest ({}), but it is not in the tree",
                            snap.version,
                            e.sha256.short()
                        ),
                    )
                    .file(rel.clone())
                    .fix("restore it from git history, or a member signs a snapshot without it (`commons snapshot`)"),
                );
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn digest(n: u8) -> Sha256Hex {
        Sha256Hex::of_bytes(&[n])
    }

    fn tree(entries: &[(&str, u8)]) -> BTreeMap<String, Sha256Hex> {
        entries
            .iter()
            .map(|(rel, n)| (rel.to_string(), digest(*n)))
            .collect()
    }

    fn signed(snapshot: Snapshot) -> Signed {
        let bytes = serde_yaml::to_string(&snapshot).unwrap().into_bytes();
        Signed {
            digest: Sha256Hex::of_bytes(&bytes),
            snapshot,
            bytes,
            signatures: Vec::new(),
        }
    }

    fn rules(c: &Comparison) -> Vec<Rule> {
        let mut r: Vec<Rule> = compare(c).into_iter().map(|f| f.rule).collect();
        r.sort_by_key(|r| r.name());
        r.dedup();
        r
    }

    #[test]
    fn versions_grow_and_keep_earlier_digests() {
        let first = next(None, &tree(&[("a.yaml", 1), ("b.yaml", 2)]), 1, None);
        assert_eq!(first.version, 1);
        let second = next(
            Some(&first),
            &tree(&[("a.yaml", 3), ("b.yaml", 2)]),
            1,
            None,
        );
        assert_eq!(second.version, 2);
        let a = &second.manifests["a.yaml"];
        assert_eq!((a.version, a.previous.clone()), (2, vec![digest(1)]));
        assert_eq!(second.manifests["b.yaml"].version, 1);
        assert!(second.expires.is_none());
    }

    #[test]
    fn deleted_rolled_back_new_expired_and_older_snapshots_are_told_apart() {
        let keys = Keyring::default();
        let failing = BTreeSet::new();
        let v1 = next(None, &tree(&[("a.yaml", 1), ("b.yaml", 2)]), 1, None);
        let mut v2 = next(Some(&v1), &tree(&[("a.yaml", 3), ("b.yaml", 2)]), 1, None);
        v2.expires = Some("2000-01-01T00:00:00Z".into());
        let s = signed(v2);
        let now = tree(&[("a.yaml", 1), ("c.yaml", 4)]);
        let c = Comparison {
            snapshot: Some(&s),
            tree: &now,
            whole: true,
            keys: &keys,
            seen: 5,
            governance: 1,
            failing: &failing,
        };
        assert_eq!(
            rules(&c),
            [
                Rule::ManifestDeleted,
                Rule::ManifestNotInSnapshot,
                Rule::ManifestRolledBack,
                Rule::SnapshotExpired,
                Rule::SnapshotRollback,
                Rule::SnapshotUnsigned
            ]
        );
        // Only some manifests verified: a missing one is not a deletion.
        let part = tree(&[("a.yaml", 3)]);
        let c = Comparison {
            tree: &part,
            whole: false,
            seen: 0,
            ..c
        };
        assert_eq!(rules(&c), [Rule::SnapshotExpired, Rule::SnapshotUnsigned]);
    }

    #[test]
    fn no_snapshot_is_missing_once_there_are_manifests_or_one_was_seen() {
        let keys = Keyring::default();
        let failing = BTreeSet::new();
        let empty = BTreeMap::new();
        let c = Comparison {
            snapshot: None,
            tree: &empty,
            whole: true,
            keys: &keys,
            seen: 0,
            governance: 1,
            failing: &failing,
        };
        assert!(rules(&c).is_empty());
        assert_eq!(rules(&Comparison { seen: 3, ..c }), [Rule::SnapshotMissing]);
    }
}
