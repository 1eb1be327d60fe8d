//! Which member signs, with which secret key: shared by every command that
//! signs (manifests, governance versions, snapshots).

use std::path::PathBuf;

use minisign::{PublicKey, SecretKey};

use crate::config::Member;
use crate::keys::{self, Password};

/// A member's key pair, unlocked.
pub struct Signer {
    pub member: String,
    pub key_id: String,
    pub pk: PublicKey,
    pub sk: SecretKey,
}

impl Signer {
    /// The key of `given` (else the only one of `members` whose secret key
    /// is in the key folder), checked against the member's public key.
    pub fn load(
        members: &[&Member],
        given: Option<&str>,
        secret_key: Option<PathBuf>,
    ) -> anyhow::Result<Signer> {
        let name = pick(members, given)?;
        let candidates: Vec<&&Member> = members.iter().filter(|m| m.name == name).collect();
        anyhow::ensure!(
            !candidates.is_empty(),
            "`{name}` is not a member who may sign this (see `commons key list`)"
        );
        let sk_path = secret_key.unwrap_or_else(|| keys::default_secret_key_path(&name));
        let sk = keys::read_secret_key(&sk_path, &Password::None)?;
        let key_id = keys::key_id(sk.keynum());
        let Some(member) = candidates
            .iter()
            .find(|m| m.key_id.eq_ignore_ascii_case(&key_id))
        else {
            anyhow::bail!(
                "{}: this secret key has id {key_id}, but member `{name}`'s key is {}",
                sk_path.display(),
                candidates[0].key_id
            );
        };
        let pk = match &member.public_key {
            Some(b64) => PublicKey::from_base64(b64)
                .map_err(|e| anyhow::anyhow!("member {name}: public key: {e}"))?,
            None => PublicKey::from_secret_key(&sk)
                .map_err(|e| anyhow::anyhow!("{}: {e}", sk_path.display()))?,
        };
        Ok(Signer {
            member: name,
            key_id,
            pk,
            sk,
        })
    }

    /// The key of a member of the governance in force, as `--as` and
    /// `--secret-key` (relative to `dir`) name it.
    pub fn of_member(
        commons: &crate::commons::Commons,
        given: Option<&str>,
        secret_key: Option<PathBuf>,
        dir: &std::path::Path,
    ) -> anyhow::Result<Signer> {
        let members: Vec<&Member> = commons.config.members.iter().collect();
        Signer::load(&members, given, secret_key.map(|p| dir.join(p)))
    }

    /// Like [`load`](Self::load), but `None` when no such key is at hand
    /// (a proposal may be made by someone who will sign it later).
    pub fn at_hand(
        members: &[&Member],
        given: Option<&str>,
        secret_key: Option<PathBuf>,
    ) -> Option<Signer> {
        if given.is_none() && secret_key.is_none() && pick(members, None).is_err() {
            return None;
        }
        Signer::load(members, given, secret_key).ok()
    }
}

fn pick(members: &[&Member], given: Option<&str>) -> anyhow::Result<String> {
    if let Some(m) = given {
        return Ok(m.to_owned());
    }
    let mut with_keys: Vec<&str> = members
        .iter()
        .filter(|m| keys::default_secret_key_path(&m.name).exists())
        .map(|m| m.name.as_str())
        .collect();
    with_keys.dedup();
    match with_keys.as_slice() {
        [one] => Ok((*one).to_owned()),
        [] => anyhow::bail!(
            "no member's secret key found in {}; pass --as NAME --secret-key PATH",
            keys::secret_key_dir().display()
        ),
        many => anyhow::bail!(
            "several members' keys are here ({}); choose one with --as NAME",
            many.join(", ")
        ),
    }
}
