//! Making the next governance version: a proposal built from the newest
//! document, signed by whoever proposes it, accepted in the same commit as
//! the signature that meets its threshold.

use std::path::Path;

use minisign::{PublicKey, SecretKey};

use super::{Approval, Chain, KIND, Version, signature_rel, version_id, version_rel};
use crate::commons::Change;
use crate::config::{CONFIG_FILE, CommonsConfig};
use crate::error::{Error, Result};

/// A version being proposed or signed, and the files that record it.
pub struct Proposal {
    pub number: u64,
    pub bytes: Vec<u8>,
    /// Signatures it carries (kept and new): path and text.
    pub signatures: Vec<(String, String)>,
    pub changes: Vec<Change>,
    pub removals: Vec<String>,
    /// Members whose signatures of an earlier draft no longer apply.
    pub dropped: Vec<String>,
    previous: Option<CommonsConfig>,
}

/// What committing a proposal did.
pub struct Outcome {
    pub number: u64,
    pub approval: Approval,
    pub changes: Vec<Change>,
    pub removals: Vec<String>,
}

impl Proposal {
    /// Version 1 of a commons that has never signed its governance.
    pub fn founding(mut config: CommonsConfig, root: &Path) -> Result<Proposal> {
        embed_public_keys(&mut config, root)?;
        config.version = 1;
        config.validate(Path::new(&version_rel(1)))?;
        let bytes = config.to_yaml().into_bytes();
        Ok(Proposal {
            number: 1,
            changes: vec![Change::new(version_rel(1), bytes.clone())],
            bytes,
            signatures: Vec::new(),
            removals: Vec::new(),
            dropped: Vec::new(),
            previous: None,
        })
    }

    /// The next version: the pending proposal (or else the trusted version)
    /// changed by `edit`. Amending a proposal drops its signatures.
    pub fn next(
        chain: &Chain,
        edit: impl FnOnce(&mut CommonsConfig) -> Result<()>,
    ) -> Result<Proposal> {
        let trusted = chain.trusted_config().ok_or_else(no_accepted_version)?;
        let pending = chain.pending().filter(|p| p.config.is_ok());
        let mut config = match pending {
            Some(p) => p.config.clone().expect("filtered"),
            None => trusted.clone(),
        };
        edit(&mut config)?;
        let number = chain.accepted as u64 + 1;
        config.version = number;
        let rel = version_rel(number);
        config.validate(Path::new(&rel))?;
        let bytes = config.to_yaml().into_bytes();
        let mut removals = Vec::new();
        let mut dropped = Vec::new();
        if let Some(p) = chain.pending() {
            if p.bytes == bytes {
                return Err(Error::Usage(format!(
                    "{rel} already proposes exactly this; sign it with `commons governance sign`"
                )));
            }
            for (sig_rel, _) in &p.signatures {
                removals.push(sig_rel.clone());
                dropped.push(signer_of(sig_rel));
            }
        }
        if config == with_version(trusted, number) {
            return Err(Error::Usage(
                "this changes nothing in the current governance".into(),
            ));
        }
        Ok(Proposal {
            number,
            changes: vec![Change::new(rel, bytes.clone())],
            bytes,
            signatures: Vec::new(),
            removals,
            dropped,
            previous: Some(trusted.clone()),
        })
    }

    /// The proposal already in the tree, to add signatures to.
    pub fn pending(chain: &Chain) -> Result<Proposal> {
        let Some(p) = chain.pending() else {
            let now = chain.trusted().map(|v| v.number).unwrap_or(0);
            return Err(Error::Usage(format!(
                "nothing to sign: no governance version after version {now} is proposed \
                 (propose one with `commons member` or `commons policy`)"
            )));
        };
        Ok(Proposal {
            number: p.number,
            bytes: p.bytes.clone(),
            signatures: p.signatures.clone(),
            changes: Vec::new(),
            removals: Vec::new(),
            dropped: Vec::new(),
            previous: chain.trusted_config().cloned(),
        })
    }

    /// The document proposed.
    pub fn config(&self) -> Result<CommonsConfig> {
        crate::yaml::parse(
            std::str::from_utf8(&self.bytes).expect("written as UTF-8"),
            Path::new(&version_rel(self.number)),
        )
    }

    /// Whether `key_id` may sign: a key of the previous version's members
    /// or of this version's.
    pub fn signer_name(&self, key_id: &str) -> Option<String> {
        let proposed = self.config().ok()?;
        [self.previous.as_ref(), Some(&proposed)]
            .into_iter()
            .flatten()
            .find_map(|c| c.member_by_key_id(key_id).map(|m| m.name.clone()))
    }

    /// Adds `member`'s signature made with `sk`.
    pub fn sign(&mut self, member: &str, pk: &PublicKey, sk: &SecretKey) -> Result<()> {
        let key_id = crate::keys::key_id(pk.keynum());
        let rel = signature_rel(self.number, member, &key_id);
        let text = crate::signing::sign_record(
            &version_id(self.number),
            KIND,
            &self.bytes,
            member,
            pk,
            sk,
        )?;
        self.signatures.retain(|(r, _)| *r != rel);
        self.signatures.push((rel.clone(), text.clone()));
        self.changes.push(Change::new(rel, text));
        Ok(())
    }

    /// Judges the proposal with its signatures; once accepted, `commons.yaml`
    /// becomes a copy of it in the same commit.
    pub fn finish(mut self, root: &Path) -> Outcome {
        let version = Version::new(self.number, self.bytes.clone(), self.signatures.clone());
        let approval = Approval::of(self.previous.as_ref(), &version, root);
        if approval.accepted() {
            self.changes
                .push(Change::new(CONFIG_FILE, self.bytes.clone()));
        }
        Outcome {
            number: self.number,
            approval,
            changes: self.changes,
            removals: self.removals,
        }
    }
}

fn with_version(c: &CommonsConfig, version: u64) -> CommonsConfig {
    CommonsConfig {
        version,
        ..c.clone()
    }
}

/// `governance/0002.yaml.alice.KEYID.minisig` → `alice`.
fn signer_of(sig_rel: &str) -> String {
    sig_rel
        .rsplit('/')
        .next()
        .and_then(|n| n.split('.').nth(2))
        .unwrap_or(sig_rel)
        .to_owned()
}

fn no_accepted_version() -> Error {
    Error::Usage(
        "this commons has no accepted governance version yet: its members sign version 1 first \
         (`commons governance adopt`, then `commons governance sign`)"
            .into(),
    )
}

/// Writes each member's public key into the document itself.
pub fn embed_public_keys(config: &mut CommonsConfig, root: &Path) -> Result<()> {
    let origin = root.join(CONFIG_FILE);
    for m in &mut config.members {
        if m.public_key.is_none() {
            let pk = super::keyring::member_key(m, root, &origin)?;
            m.public_key = Some(pk.to_base64());
        }
    }
    Ok(())
}
