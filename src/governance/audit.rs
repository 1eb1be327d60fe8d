//! What `verify` reports about the commons as a whole, beyond each
//! manifest: the governance chain against the root this clone pinned,
//! unsigned edits of `commons.yaml`, the signed snapshot against the tree
//! (deletions, rollbacks), and changes not yet committed.

use std::collections::BTreeMap;

use super::keyring::Keyring;
use crate::clone_trust::CloneTrust;
use crate::commons::Commons;
use crate::config::CONFIG_FILE;
use crate::digest::Sha256Hex;
use crate::error::Result;
use crate::finding::{Finding, Severity};
use crate::rule::Rule;
use crate::snapshot::{self, Comparison};

/// What the audit is asked to look at.
pub struct Scope<'a> {
    /// Manifests verified (path → digest).
    pub tree: &'a BTreeMap<String, Sha256Hex>,
    /// Whether `tree` is every manifest (no ids were given).
    pub whole: bool,
    /// The root the user pins (`--root`, `$COMMONS_ROOT`), over the clone's.
    pub pin: Option<&'a Sha256Hex>,
    /// Manifests (paths) that already fail verification.
    pub failing: &'a std::collections::BTreeSet<String>,
}

/// Findings about the commons as a whole; raises this clone's pins when
/// nothing is wrong with its governance or snapshot.
pub fn audit(commons: &Commons, scope: &Scope) -> Result<Vec<Finding>> {
    let root = commons.root();
    let pins = CloneTrust::load(root)?;
    let mut out = Vec::new();
    let accepted = governance(commons, &pins, scope.pin, &mut out);
    let keys = Keyring::of(&commons.config, root, &root.join(CONFIG_FILE))?;
    // An unreadable snapshot is reported as such, not also as a missing one.
    let signed = match snapshot::load(root) {
        Ok(signed) => {
            out.extend(snapshot::compare(&Comparison {
                snapshot: signed.as_ref(),
                tree: scope.tree,
                whole: scope.whole,
                keys: &keys,
                seen: pins.snapshot,
                governance: accepted,
                failing: scope.failing,
            }));
            signed
        }
        Err(e) => {
            out.push(
                Finding::new(Rule::SnapshotInvalid, e.to_string())
                    .file(snapshot::FILE)
                    .fix("restore it from git history, or a member signs a new one (`commons snapshot`)"),
            );
            None
        }
    };
    let clean = out.iter().all(|f| f.severity != Severity::Error);
    if clean && let Some(chain) = &commons.governance {
        CloneTrust::raise(
            root,
            chain.root().map(|v| &v.digest),
            accepted,
            signed.map(|s| s.snapshot.version).unwrap_or(0),
        )?;
    }
    out.extend(uncommitted(commons, scope));
    Ok(out)
}

/// Checks the chain against the pinned root and this clone's pins; returns
/// the accepted version.
fn governance(
    commons: &Commons,
    pins: &CloneTrust,
    pin: Option<&Sha256Hex>,
    out: &mut Vec<Finding>,
) -> u64 {
    let Some(chain) = &commons.governance else {
        if pins.root.is_some() || !commons.config.members.is_empty() {
            out.push(
                Finding::new(
                    Rule::GovernanceUnsigned,
                    "the commons' members and policy have never been signed: anyone who can push could change them",
                )
                .file(CONFIG_FILE)
                .fix("run `commons governance adopt`; each member then signs with `commons governance sign`"),
            );
        }
        return 0;
    };
    out.extend(chain.findings.iter().cloned());
    let accepted = chain.trusted().map(|v| v.number).unwrap_or(0);
    match (chain.root(), pin.or(pins.root.as_ref())) {
        (None, _) => out.push(
            Finding::new(Rule::GovernanceChainBroken, "governance version 1 is missing")
                .file(super::version_rel(1))
                .fix("restore it from git history"),
        ),
        (Some(v1), Some(p)) if v1.digest != *p => out.push(
            Finding::new(
                Rule::GovernanceRootMismatch,
                format!(
                    "governance version 1 has sha256 {}, but the pinned root is {}: this is not the commons you trust",
                    v1.digest.short(),
                    p.short()
                ),
            )
            .file(v1.rel.clone())
            .fix("fetch the commons from a trusted remote, or pin its root only after checking it out of band"),
        ),
        (Some(v1), None) => out.push(
            Finding::new(
                Rule::GovernanceRootPinned,
                format!(
                    "trusting governance version 1 ({}) for this clone from now on; pin it yourself with --root or $COMMONS_ROOT",
                    v1.digest
                ),
            )
            .file(v1.rel.clone()),
        ),
        _ => {}
    }
    if pins.governance > accepted {
        out.push(
            Finding::new(
                Rule::GovernanceRollback,
                format!(
                    "this clone has verified governance version {}, but only version {accepted} is accepted here",
                    pins.governance
                ),
            )
            .file(super::version_rel(pins.governance))
            .fix("restore the newer governance versions and their signatures from a trusted remote"),
        );
    }
    if accepted == 0 {
        out.push(
            Finding::new(
                Rule::GovernanceUnsigned,
                "no governance version is accepted: nobody's signature counts",
            )
            .file(super::version_rel(1))
            .fix("the members named in version 1 sign it: `commons governance sign`"),
        );
    }
    if let Some(v) = chain.trusted() {
        let current = crate::bounded::read(&commons.config_path(), super::MAX_GOVERNANCE_BYTES)
            .unwrap_or_default();
        if current != v.bytes {
            out.push(
                Finding::new(
                    Rule::GovernanceUnsignedEdit,
                    format!(
                        "{CONFIG_FILE} differs from governance version {}, the newest accepted one; unsigned edits count for nothing",
                        v.number
                    ),
                )
                .file(CONFIG_FILE)
                .fix(format!("propose the change (`commons member`, `commons policy set`) for members to sign, or restore it: `git checkout {CONFIG_FILE}`")),
            );
        }
    }
    accepted
}

/// Files `verify` relies on that differ from what is committed: others see
/// HEAD, not this working tree.
fn uncommitted(commons: &Commons, scope: &Scope) -> Vec<Finding> {
    let Ok(repo) = git2::Repository::open(commons.root()) else {
        return Vec::new();
    };
    let mut opts = git2::StatusOptions::new();
    // Refreshing the index's stat cache (as `git status` does) keeps later
    // runs from re-reading every file whose stat data went stale.
    opts.include_untracked(true)
        .recurse_untracked_dirs(true)
        .exclude_submodules(true)
        .update_index(true);
    let specs = [
        "commons.yaml",
        "snapshot.yaml*",
        "governance",
        "keys",
        "manifests",
    ];
    for s in specs {
        opts.pathspec(s);
    }
    let Ok(statuses) = repo.statuses(Some(&mut opts)) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for entry in statuses.iter() {
        let Ok(path) = entry.path() else { continue };
        if entry.status().is_ignored() || path.contains("/.commons-") {
            continue;
        }
        let record = path.ends_with(".yaml") || path.ends_with(".minisig");
        let checked = scope.whole || scope.tree.keys().any(|m| path.starts_with(m.as_str()));
        if path.starts_with("manifests/") && !(record && checked) {
            continue;
        }
        let what = if entry.status().is_wt_new() {
            "is not committed"
        } else {
            "differs from what is committed"
        };
        out.push(
            Finding::new(
                Rule::UncommittedChange,
                format!("{path} {what}: others who clone the commons will not see this state"),
            )
            .file(path.to_owned())
            .fix("commit it (the `commons` write commands do), or restore it with `git checkout`"),
        );
    }
    out
}
