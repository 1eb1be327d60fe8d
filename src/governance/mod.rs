//! Signed, versioned governance: the commons' own rules (members, their keys,
//! policy) are records that need the members' signatures, like the manifests
//! they govern. The pattern is TUF's root rotation.
//!
//! ```text
//! commons.yaml                                  a copy of the newest accepted version
//! governance/0001.yaml                          version 1 (the root a verifier pins)
//! governance/0001.yaml.alice.7320C1E9ADC1DF9F.minisig
//! governance/0002.yaml                          version 2 …
//! ```
//!
//! Version 1 counts when its own membership threshold of members, and every
//! member it names, have signed it. Version N+1 counts when a threshold of
//! version N's members (each member once, whatever keys it shows) **and**
//! every key it adds have signed it: a new member proves they hold their key.
//! Every version stays in the repository, so anyone can walk the chain; the
//! newest version that is not (yet) accepted is a proposal.

pub mod approval;
pub mod audit;
pub mod keyring;
pub mod proposal;

use std::path::Path;

use crate::config::CommonsConfig;
use crate::digest::Sha256Hex;
use crate::error::{IoContext, Result};
use crate::finding::Finding;
use crate::rule::Rule;

pub use approval::Approval;

/// Where the versions live, relative to the commons root.
pub const DIR: &str = "governance";
/// The `kind` a governance signature's trusted comment names.
pub const KIND: &str = "governance";

/// The file of version `n`, relative to the root.
pub fn version_rel(n: u64) -> String {
    format!("{DIR}/{n:04}.yaml")
}

/// The id a signature of version `n` binds.
pub fn version_id(n: u64) -> String {
    format!("{DIR}/{n}")
}

/// The signature file of `member`'s key `key_id` on version `n`.
pub fn signature_rel(n: u64, member: &str, key_id: &str) -> String {
    format!("{}.{member}.{key_id}.minisig", version_rel(n))
}

/// One version of the governance document, as found in the tree.
#[derive(Debug, Clone)]
pub struct Version {
    pub number: u64,
    pub rel: String,
    pub bytes: Vec<u8>,
    pub digest: Sha256Hex,
    /// The parsed document, or why it does not parse.
    pub config: std::result::Result<CommonsConfig, String>,
    /// Signature files beside it: path relative to the root, and text.
    pub signatures: Vec<(String, String)>,
}

impl Version {
    /// A version from its bytes and signatures.
    pub fn new(number: u64, bytes: Vec<u8>, signatures: Vec<(String, String)>) -> Version {
        let rel = version_rel(number);
        let config = std::str::from_utf8(&bytes)
            .map_err(|_| "not UTF-8 text".to_owned())
            .and_then(|text| {
                crate::yaml::parse::<CommonsConfig>(text, Path::new(&rel))
                    .and_then(|c| c.validate(Path::new(&rel)).map(|()| c))
                    .map_err(|e| e.to_string())
            });
        Version {
            number,
            digest: Sha256Hex::of_bytes(&bytes),
            rel,
            bytes,
            config,
            signatures,
        }
    }
}

/// Every version in the tree, walked from version 1.
#[derive(Debug, Clone)]
pub struct Chain {
    pub versions: Vec<Version>,
    /// One per version walked (a broken chain stops the walk).
    pub approvals: Vec<Approval>,
    /// How many leading versions are accepted.
    pub accepted: usize,
    /// What is wrong with the chain itself: gaps, a broken link.
    pub findings: Vec<Finding>,
}

impl Chain {
    /// Reads `governance/` under `root`; `None` when the commons has never
    /// signed its governance.
    pub fn load(root: &Path) -> Result<Option<Chain>> {
        let dir = root.join(DIR);
        if !dir.is_dir() {
            return Ok(None);
        }
        let mut files: Vec<(u64, Vec<u8>)> = Vec::new();
        let mut sigs: Vec<(u64, String, String)> = Vec::new();
        for entry in std::fs::read_dir(&dir).at(&dir)? {
            let entry = entry.at(&dir)?;
            let name = entry.file_name().to_string_lossy().into_owned();
            let Some((num, rest)) = name.split_once(".yaml") else {
                continue;
            };
            let Ok(n) = num.parse::<u64>() else {
                continue;
            };
            let path = entry.path();
            if rest.is_empty() {
                files.push((n, read_bounded(&path)?));
            } else if rest.starts_with('.') && rest.ends_with(".minisig") {
                let text = String::from_utf8_lossy(&read_bounded(&path)?).into_owned();
                sigs.push((n, format!("{DIR}/{name}"), text));
            }
        }
        files.sort_by_key(|(n, _)| *n);
        sigs.sort();
        let versions = files
            .into_iter()
            .map(|(n, bytes)| {
                let s = sigs
                    .iter()
                    .filter(|(m, _, _)| *m == n)
                    .map(|(_, rel, text)| (rel.clone(), text.clone()))
                    .collect();
                Version::new(n, bytes, s)
            })
            .collect();
        Ok(Some(Chain::walk(versions, root)))
    }

    /// Walks `versions` (sorted) from version 1, approving each against the
    /// one before.
    pub fn walk(versions: Vec<Version>, root: &Path) -> Chain {
        let mut chain = Chain {
            versions,
            approvals: Vec::new(),
            accepted: 0,
            findings: Vec::new(),
        };
        let last = chain.versions.last().map(|v| v.number).unwrap_or(0);
        for (i, version) in chain.versions.iter().enumerate() {
            let expected = i as u64 + 1;
            if version.number != expected {
                chain.findings.push(
                    Finding::new(
                        Rule::GovernanceChainBroken,
                        format!(
                            "governance version {expected} is missing: the chain jumps to version {}",
                            version.number
                        ),
                    )
                    .file(version_rel(expected))
                    .fix("restore the missing version from git history; versions are never deleted"),
                );
                break;
            }
            let previous = if i == 0 {
                None
            } else {
                chain.versions[i - 1].config.as_ref().ok()
            };
            let approval = Approval::of(previous, version, root);
            let ok = approval.accepted() && chain.accepted == i;
            if ok {
                chain.accepted += 1;
            } else if chain.accepted == i {
                let tampered = approval.defect.is_some() || !approval.ignored.is_empty();
                let finding = if version.number == last && !tampered {
                    Finding::new(
                        Rule::GovernancePending,
                        format!(
                            "governance version {} is proposed, not accepted: {}",
                            version.number,
                            approval.shortfall()
                        ),
                    )
                    .fix("members review it and run `commons governance sign`")
                } else {
                    Finding::new(
                        Rule::GovernanceInvalid,
                        format!(
                            "governance version {} is not validly signed ({}); neither it nor any later version is trusted",
                            version.number,
                            approval.shortfall()
                        ),
                    )
                    .fix("restore this version and its signatures from git history")
                };
                chain.findings.push(finding.file(version.rel.clone()));
            }
            chain.approvals.push(approval);
        }
        chain
    }

    /// The newest accepted version.
    pub fn trusted(&self) -> Option<&Version> {
        self.accepted.checked_sub(1).map(|i| &self.versions[i])
    }

    /// The trusted document.
    pub fn trusted_config(&self) -> Option<&CommonsConfig> {
        self.trusted().and_then(|v| v.config.as_ref().ok())
    }

    /// The version after the trusted one, if it is in the tree (a proposal).
    pub fn pending(&self) -> Option<&Version> {
        self.versions.get(self.accepted)
    }

    /// Version 1, the root a verifier pins.
    pub fn root(&self) -> Option<&Version> {
        self.versions.first().filter(|v| v.number == 1)
    }
}

/// Governance files are small; anything larger is refused unread.
pub(crate) const MAX_GOVERNANCE_BYTES: u64 = 4 << 20;

fn read_bounded(path: &Path) -> Result<Vec<u8>> {
    crate::bounded::read(path, MAX_GOVERNANCE_BYTES)
}
