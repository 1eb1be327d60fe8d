//! `commons.yaml`: the commons' name, its members and its policy.

use std::path::Path;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};

pub const CONFIG_FILE: &str = "commons.yaml";

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct CommonsConfig {
    pub schema: String,
    /// The governance version this document is (1, 2, …): version N+1 counts
    /// only when a threshold of version N's members, and every key it adds,
    /// have signed it (see `governance/`).
    #[serde(default = "one_u64")]
    pub version: u64,
    pub name: String,
    #[serde(default)]
    pub members: Vec<Member>,
    #[serde(default)]
    pub policy: Policy,
}

/// A member of the commons and the public key they sign with.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Member {
    pub name: String,
    /// Path of the minisign public key, relative to the commons root.
    pub key: String,
    /// The key's minisign id (16 uppercase hex digits), as `minisign` prints it.
    pub key_id: String,
    /// The minisign public key itself (base64), so that the signed document,
    /// not a file anyone can replace, says which key is the member's.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub public_key: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Policy {
    /// Distinct members whose signatures make a manifest accepted.
    #[serde(default = "one")]
    pub quorum: u32,
    /// Distinct members of the current governance version whose signatures
    /// make the next version of this document count.
    #[serde(default = "one")]
    pub membership_threshold: u32,
    /// Days a signed snapshot stays fresh; `verify` reports an older one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub snapshot_expiry_days: Option<u32>,
    /// Keys that no longer count, whoever presents them.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub revoked: Vec<Revocation>,
    /// SPDX license ids this commons accepts (empty: any).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub accepted_licenses: Vec<String>,
    /// Top-level manifest fields every manifest must have.
    #[serde(default = "default_required")]
    pub required_fields: Vec<String>,
    /// Do the licenses of training data bind the trained weights?
    #[serde(default = "yes")]
    pub dataset_licenses_bind_weights: bool,
    /// Is a model distilled from (trained on outputs of) another a derivative of it?
    #[serde(default = "yes")]
    pub distillation_is_derivative: bool,
    /// Findings the commons accepts, each with its reason (waivers).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub exceptions: Vec<Exception>,
}

/// A finding the commons accepts: its rule, the record it concerns (`*`:
/// any), why, who approved it, and until when.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Exception {
    pub rule: crate::rule::Rule,
    /// The record id the finding is about, or `*` for every record.
    pub id: String,
    pub reason: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub approved_by: Option<String>,
    /// Last day it applies (YYYY-MM-DD); after it, the finding counts again.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expires: Option<String>,
}

impl Default for Policy {
    fn default() -> Policy {
        Policy {
            quorum: 1,
            membership_threshold: 1,
            snapshot_expiry_days: None,
            revoked: Vec::new(),
            accepted_licenses: Vec::new(),
            required_fields: default_required(),
            dataset_licenses_bind_weights: true,
            distillation_is_derivative: true,
            exceptions: Vec::new(),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Revocation {
    pub name: String,
    pub key_id: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub date: Option<String>,
}

fn one() -> u32 {
    1
}

fn one_u64() -> u64 {
    1
}

fn yes() -> bool {
    true
}

fn default_required() -> Vec<String> {
    vec!["license".into(), "source".into()]
}

impl CommonsConfig {
    pub fn new(name: &str) -> CommonsConfig {
        CommonsConfig {
            schema: crate::manifest::SCHEMA_VERSION.to_owned(),
            version: 1,
            name: name.to_owned(),
            members: Vec::new(),
            policy: Policy::default(),
        }
    }

    pub fn read(path: &Path) -> Result<CommonsConfig> {
        let config: CommonsConfig = crate::yaml::read(path)?;
        config.validate(path)?;
        Ok(config)
    }

    pub fn validate(&self, path: &Path) -> Result<()> {
        let invalid = |field: String, message: String| Error::Invalid {
            path: path.to_path_buf(),
            field,
            message,
        };
        if self.policy.quorum == 0 {
            return Err(invalid("policy.quorum".into(), "must be at least 1".into()));
        }
        if self.policy.membership_threshold == 0 {
            return Err(invalid(
                "policy.membership_threshold".into(),
                "must be at least 1".into(),
            ));
        }
        if self.version == 0 {
            return Err(invalid("version".into(), "versions start at 1".into()));
        }
        for (i, m) in self.members.iter().enumerate() {
            crate::paths::check_relative(&m.key)
                .map_err(|e| invalid(format!("members[{i}].key"), e))?;
            if self.members.iter().filter(|o| o.name == m.name).count() > 1 {
                return Err(invalid(
                    format!("members[{i}].name"),
                    format!("member `{}` is listed twice", m.name),
                ));
            }
        }
        let members = self.members.len();
        if members > 0 && self.policy.membership_threshold as usize > members {
            return Err(invalid(
                "policy.membership_threshold".into(),
                format!(
                    "is {} but there are only {members} member(s): no later version could ever be accepted",
                    self.policy.membership_threshold
                ),
            ));
        }
        for (i, field) in self.policy.required_fields.iter().enumerate() {
            if !REQUIRABLE_FIELDS.contains(&field.as_str()) {
                return Err(invalid(
                    format!("policy.required_fields[{i}]"),
                    format!(
                        "`{field}` is not a manifest field; one of {}",
                        REQUIRABLE_FIELDS.join(", ")
                    ),
                ));
            }
        }
        Ok(())
    }

    pub fn member(&self, name: &str) -> Option<&Member> {
        self.members.iter().find(|m| m.name == name)
    }

    pub fn member_by_key_id(&self, key_id: &str) -> Option<&Member> {
        self.members
            .iter()
            .find(|m| m.key_id.eq_ignore_ascii_case(key_id))
    }

    pub fn is_revoked(&self, key_id: &str) -> Option<&Revocation> {
        self.policy
            .revoked
            .iter()
            .find(|r| r.key_id.eq_ignore_ascii_case(key_id))
    }

    pub fn to_yaml(&self) -> String {
        serde_yaml::to_string(self).expect("config always serialises")
    }
}

/// Manifest fields a policy may require.
pub const REQUIRABLE_FIELDS: &[&str] = &["title", "description", "license", "source", "files"];

#[cfg(test)]
mod fuzz_tests {
    use super::*;

    #[test]
    fn fuzz_commons_yaml() {
        crate::fuzz::fuzz(
            "commons-yaml",
            crate::fuzz::YAML_WORDS,
            Vec::new(),
            |bytes| {
                let Ok(text) = std::str::from_utf8(bytes) else {
                    return;
                };
                let origin = Path::new("commons.yaml");
                if let Ok(config) = crate::yaml::parse::<CommonsConfig>(text, origin) {
                    let _ = config.validate(origin);
                }
            },
        );
    }
}
