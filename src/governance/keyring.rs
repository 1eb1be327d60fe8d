//! The keys a governance version trusts: each member's public key, by key id.
//!
//! A signed version names each key by its base64 text (`public_key`), so
//! replacing `keys/<member>.pub` changes nothing a verifier trusts; a
//! document that is not yet signed (a commons being founded) falls back to
//! the key files.

use std::collections::HashMap;
use std::path::Path;

use minisign::PublicKey;

use crate::config::{CONFIG_FILE, CommonsConfig, Member};
use crate::error::{Error, Result};

/// The public keys of one version's members, revoked keys left out.
#[derive(Default)]
pub struct Keyring {
    keys: HashMap<String, (String, PublicKey)>,
}

impl Keyring {
    /// The keys of `config`'s members; `root` is the commons (for key files).
    pub fn of(config: &CommonsConfig, root: &Path, origin: &Path) -> Result<Keyring> {
        let mut keys = HashMap::new();
        for member in &config.members {
            let pk = member_key(member, root, origin)?;
            let id = crate::keys::key_id(pk.keynum());
            if config.is_revoked(&id).is_none() {
                keys.insert(id, (member.name.clone(), pk));
            }
        }
        Ok(Keyring { keys })
    }

    /// The member and key of a key id, if a member holds it.
    pub fn get(&self, key_id: &str) -> Option<&(String, PublicKey)> {
        self.keys.get(&key_id.to_ascii_uppercase())
    }
}

/// A member's public key: the one the document embeds, else its key file.
pub fn member_key(member: &Member, root: &Path, origin: &Path) -> Result<PublicKey> {
    let field = |f: &str| format!("members.{}.{f}", member.name);
    let pk = match &member.public_key {
        Some(b64) => PublicKey::from_base64(b64.trim()).map_err(|e| Error::Invalid {
            path: origin.to_path_buf(),
            field: field("public_key"),
            message: format!("not a minisign public key: {e}"),
        })?,
        None => {
            let path = crate::paths::resolve_inside(root, &member.key)?;
            crate::keys::read_public_key(&path)?
        }
    };
    let id = crate::keys::key_id(pk.keynum());
    if !id.eq_ignore_ascii_case(&member.key_id) {
        let holder = if member.public_key.is_some() {
            "public_key".to_owned()
        } else {
            member.key.clone()
        };
        return Err(Error::Invalid {
            path: origin.to_path_buf(),
            field: field("key_id"),
            message: format!("says {} but {holder} holds key {id}", member.key_id),
        });
    }
    Ok(pk)
}

/// `commons.yaml` at `root`, for error messages.
pub fn config_origin(root: &Path) -> std::path::PathBuf {
    root.join(CONFIG_FILE)
}
