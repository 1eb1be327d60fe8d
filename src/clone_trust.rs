//! What this clone has trusted and seen, kept outside the repository (in
//! `.git/commons/pins.yaml`) so that nobody who can push can change it:
//! the digest of governance version 1 it pinned, and the newest governance
//! version and snapshot version it has verified. A repository that later
//! shows less (a governance version withdrawn, an older snapshot) has been
//! rolled back.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::digest::Sha256Hex;
use crate::error::Result;

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CloneTrust {
    /// sha256 of `governance/0001.yaml` this clone trusts.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub root: Option<Sha256Hex>,
    /// The newest governance version verified here.
    #[serde(default)]
    pub governance: u64,
    /// The newest snapshot version verified here.
    #[serde(default)]
    pub snapshot: u64,
}

impl CloneTrust {
    /// Where a commons' pins live, if it is a git repository.
    pub fn path(root: &Path) -> Option<PathBuf> {
        let repo = git2::Repository::open(root).ok()?;
        Some(repo.path().join("commons").join("pins.yaml"))
    }

    /// This clone's pins (none yet: the default).
    pub fn load(root: &Path) -> Result<CloneTrust> {
        match CloneTrust::path(root) {
            Some(p) if p.is_file() => crate::yaml::read(&p),
            _ => Ok(CloneTrust::default()),
        }
    }

    /// Raises the pins to what was just verified; never lowers them.
    pub fn raise(
        root: &Path,
        root_digest: Option<&Sha256Hex>,
        governance: u64,
        snapshot: u64,
    ) -> Result<()> {
        let Some(path) = CloneTrust::path(root) else {
            return Ok(());
        };
        let old = CloneTrust::load(root)?;
        let new = CloneTrust {
            root: old.root.clone().or_else(|| root_digest.cloned()),
            governance: old.governance.max(governance),
            snapshot: old.snapshot.max(snapshot),
        };
        if new != old {
            let text = serde_yaml::to_string(&new).expect("pins serialise");
            crate::commons::atomic_write(&path, text.as_bytes())?;
        }
        Ok(())
    }
}
