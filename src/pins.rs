//! Pins: a reference to another record carries the sha256 of that record's
//! manifest, so a lineage is tamper-evident.
//!
//! A pin that does not match is a finding, never an abort: *stale* when some
//! version of the upstream record in the commons' history had the pinned
//! digest (the upstream changed since), *never valid* when none did (a typo,
//! a record from elsewhere). [`repin`] moves a record's pins to the upstream
//! records as they are now, as `cargo update` moves a lock file, keeping
//! every other byte of the manifest.

use std::collections::{HashMap, HashSet};
use std::path::Path;
use std::sync::Mutex;

use crate::commons::{Commons, Loaded};
use crate::digest::Sha256Hex;
use crate::error::{Error, Result};
use crate::finding::Finding;
use crate::manifest::Manifest;
use crate::rule::Rule;

/// Which digests each manifest file has had in the commons' history.
pub struct PinHistory<'a> {
    commons: &'a Commons,
    seen: Mutex<HashMap<String, HashSet<Sha256Hex>>>,
}

impl<'a> PinHistory<'a> {
    pub fn new(commons: &'a Commons) -> PinHistory<'a> {
        PinHistory {
            commons,
            seen: Mutex::new(HashMap::new()),
        }
    }

    /// Whether the file at `rel` ever had this digest in a commit reachable
    /// from HEAD.
    pub fn ever_had(&self, rel: &str, digest: &Sha256Hex) -> bool {
        let mut seen = self.seen.lock().unwrap_or_else(|e| e.into_inner());
        seen.entry(rel.to_owned())
            .or_insert_with(|| {
                self.commons
                    .history_of(rel)
                    .map(|h| h.into_keys().collect())
                    .unwrap_or_default()
            })
            .contains(digest)
    }

    /// The finding for `from`'s pin at `field` of record `to` (at `to_rel`),
    /// which pins `pinned` while the record's digest is `current`.
    pub fn finding(
        &self,
        from: &Loaded,
        field: &str,
        to: &str,
        pinned: &Sha256Hex,
        current: &Sha256Hex,
    ) -> Finding {
        let ever = self
            .commons
            .find_path(to)
            .and_then(|p| crate::paths::relative_to(&p, self.commons.root()))
            .is_some_and(|rel| self.ever_had(&rel, pinned));
        let id = &from.manifest.id;
        let (message, fix) = if ever {
            (
                format!(
                    "pins `{to}` at sha256 {}, an earlier version: that record has changed since (now {})",
                    pinned.short(),
                    current.short()
                ),
                format!(
                    "review the change to `{to}` (`commons log {to}`); if accepted, `commons repin {id}` and sign it again"
                ),
            )
        } else {
            (
                format!(
                    "pins `{to}` at sha256 {}, a digest `{to}` never had in this commons' history (it is now {})",
                    pinned.short(),
                    current.short()
                ),
                format!(
                    "make sure `{field}` names the intended record; then `commons repin {id}` pins it as it is now, and sign it again"
                ),
            )
        };
        Finding::new(Rule::ReferenceDigestMismatch, message)
            .id(id)
            .file(&from.rel)
            .field(field)
            .chain(vec![id.clone(), to.to_owned()])
            .fix(fix)
    }
}

/// The pins that do not match among the references of `subjects`, whose
/// upstreams are looked up among `all`.
pub fn mismatches(commons: &Commons, all: &[Loaded], subjects: &[String]) -> Vec<Finding> {
    let digests: HashMap<&str, &Sha256Hex> = all
        .iter()
        .map(|l| (l.manifest.id.as_str(), &l.digest))
        .collect();
    let subjects: HashSet<&str> = subjects.iter().map(String::as_str).collect();
    let history = PinHistory::new(commons);
    use rayon::prelude::*;
    all.par_iter()
        .filter(|l| subjects.contains(l.manifest.id.as_str()))
        .flat_map_iter(|l| {
            l.manifest.references().into_iter().filter_map(|r| {
                let current = digests.get(r.id)?;
                let pinned = r.digest.filter(|&pinned| pinned != *current)?;
                Some(history.finding(l, &r.field, r.id, pinned, current))
            })
        })
        .collect()
}

/// One pin moved by [`repin`].
#[derive(Debug, Clone, serde::Serialize)]
pub struct Repinned {
    pub field: String,
    pub upstream: String,
    /// The digest pinned before, if any.
    pub from: Option<Sha256Hex>,
    pub to: Sha256Hex,
}

/// Pins every reference of `l` whose upstream `current` knows to that
/// upstream's current digest. Returns the moved pins and the new bytes of
/// the manifest (None when every pin already matches). Pinned digests are
/// replaced in place, so nothing else in the file changes; a reference
/// without a digest makes the manifest be written anew.
pub fn repin(
    l: &Loaded,
    current: impl Fn(&str) -> Option<Sha256Hex>,
) -> Result<Option<(Vec<Repinned>, Vec<u8>)>> {
    let mut moved = Vec::new();
    for r in l.manifest.references() {
        let Some(now) = current(r.id) else { continue };
        if r.digest != Some(&now) {
            moved.push(Repinned {
                field: r.field,
                upstream: r.id.to_owned(),
                from: r.digest.cloned(),
                to: now,
            });
        }
    }
    if moved.is_empty() {
        return Ok(None);
    }
    let mut expected = l.manifest.clone();
    for m in &moved {
        *expected
            .reference_digest_mut(&m.field)
            .expect("fields come from references()") = Some(m.to.clone());
    }
    let text = String::from_utf8_lossy(&l.bytes).into_owned();
    let in_place = moved.iter().try_fold(text, |text, m| {
        let from = m.from.as_ref()?;
        Some(text.replace(from.as_str(), m.to.as_str()))
    });
    let bytes = match in_place {
        Some(text)
            if Manifest::from_yaml(&text, Path::new(&l.rel)).ok() == Some(expected.clone()) =>
        {
            text.into_bytes()
        }
        _ => expected.to_yaml().into_bytes(),
    };
    Manifest::from_yaml(&String::from_utf8_lossy(&bytes), Path::new(&l.rel)).map_err(|e| {
        Error::Other(format!(
            "{}: re-pinning would make an invalid manifest: {e}",
            l.rel
        ))
    })?;
    Ok(Some((moved, bytes)))
}
