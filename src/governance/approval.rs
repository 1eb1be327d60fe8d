//! Whether one governance version counts: who of the previous version's
//! members signed it, and whether every key it adds proved itself.

use std::collections::BTreeSet;
use std::path::Path;

use super::keyring::Keyring;
use super::{KIND, Version, version_id};
use crate::config::CommonsConfig;

/// The signatures a version carries, judged against the version before it.
#[derive(Debug, Clone, Default)]
pub struct Approval {
    pub number: u64,
    /// Members of the previous version (of this one, for version 1) whose
    /// signatures verify: each counts once.
    pub approvers: BTreeSet<String>,
    /// How many approvers the previous version requires.
    pub threshold: u32,
    /// Keys this version adds, as `member key_id`, that have not signed it.
    pub unproven: Vec<String>,
    /// Signatures that count for nothing, and why.
    pub ignored: Vec<String>,
    /// What makes the version unacceptable whatever its signatures.
    pub defect: Option<String>,
}

impl Approval {
    /// Judges `version` against `previous` (`None` for version 1).
    pub fn of(previous: Option<&CommonsConfig>, version: &Version, root: &Path) -> Approval {
        let mut a = Approval {
            number: version.number,
            ..Approval::default()
        };
        let origin = Path::new(&version.rel);
        let config = match &version.config {
            Ok(c) => c,
            Err(e) => {
                a.defect = Some(e.clone());
                return a;
            }
        };
        if config.version != version.number {
            a.defect = Some(format!(
                "{} says `version: {}`; it must say {}",
                version.rel, config.version, version.number
            ));
            return a;
        }
        if let Some(m) = config.members.iter().find(|m| m.public_key.is_none()) {
            a.defect = Some(format!(
                "member {} has no `public_key`: a signed version names each key itself",
                m.name
            ));
            return a;
        }
        let before = previous.unwrap_or(config);
        a.threshold = before.policy.membership_threshold;
        let (old_keys, new_keys) = match (
            Keyring::of(before, root, origin),
            Keyring::of(config, root, origin),
        ) {
            (Ok(o), Ok(n)) => (o, n),
            (Err(e), _) | (_, Err(e)) => {
                a.defect = Some(e.to_string());
                return a;
            }
        };
        let mut proven = BTreeSet::new();
        for (rel, text) in &version.signatures {
            match judge(rel, text, version, &old_keys, &new_keys) {
                Ok((approver, key)) => {
                    if let Some(m) = approver {
                        a.approvers.insert(m);
                    }
                    if let Some(k) = key {
                        proven.insert(k);
                    }
                }
                Err(why) => a.ignored.push(format!("{rel}: {why}")),
            }
        }
        let known: BTreeSet<String> = match previous {
            Some(p) => p.members.iter().map(|m| m.key_id.to_uppercase()).collect(),
            None => BTreeSet::new(),
        };
        for m in &config.members {
            let id = m.key_id.to_uppercase();
            if !known.contains(&id) && !proven.contains(&id) {
                a.unproven.push(format!("{} {id}", m.name));
            }
        }
        a
    }

    pub fn accepted(&self) -> bool {
        self.defect.is_none()
            && self.approvers.len() >= self.threshold as usize
            && self.unproven.is_empty()
    }

    /// What it lacks, in words.
    pub fn shortfall(&self) -> String {
        if let Some(d) = &self.defect {
            return d.clone();
        }
        let mut parts = vec![format!(
            "{} of {} required member signature(s){}",
            self.approvers.len(),
            self.threshold,
            if self.approvers.is_empty() {
                String::new()
            } else {
                format!(
                    " ({})",
                    self.approvers
                        .iter()
                        .cloned()
                        .collect::<Vec<_>>()
                        .join(", ")
                )
            }
        )];
        if !self.unproven.is_empty() {
            parts.push(format!(
                "not yet signed by the key(s) it adds: {}",
                self.unproven.join(", ")
            ));
        }
        parts.extend(self.ignored.iter().cloned());
        parts.join("; ")
    }
}

/// One signature: the previous-version member it counts for, and the new
/// key it proves, if any.
fn judge(
    rel: &str,
    text: &str,
    version: &Version,
    old_keys: &Keyring,
    new_keys: &Keyring,
) -> Result<(Option<String>, Option<String>), String> {
    let sig = crate::signing::parse_signature(Path::new(rel), text).map_err(|e| e.to_string())?;
    let bound = sig.binding.as_ref().is_some_and(|b| {
        b.kind == KIND && b.id == version_id(version.number) && b.sha256 == version.digest.as_str()
    });
    if !bound {
        return Err(format!(
            "its trusted comment does not bind governance version {} ({})",
            version.number,
            version.digest.short()
        ));
    }
    let check = |keys: &Keyring| -> Option<String> {
        let (member, pk) = keys.get(&sig.key_id)?;
        crate::signing::verify_bytes(pk, &sig.sig, &version.bytes)
            .ok()
            .map(|()| member.clone())
    };
    let approver = check(old_keys);
    let proven = check(new_keys).map(|_| sig.key_id.to_uppercase());
    if approver.is_none() && proven.is_none() {
        return Err(format!(
            "key {} is not a member's key, or its signature does not verify",
            sig.key_id
        ));
    }
    Ok((approver, proven))
}
