//! Member keys: minisign key pairs, where secret keys live, and how they are
//! unlocked.
//!
//! Public keys live in the commons (`keys/<member>.pub`, the same text file
//! `minisign -G` writes). Secret keys never do: they live in the user's
//! configuration folder (`$COMMONS_KEY_DIR`, else
//! `$XDG_CONFIG_HOME/commons/keys`, else `~/.config/commons/keys`) or at a
//! path the user names, readable by `minisign -s` too.

use std::path::{Path, PathBuf};

use minisign::{KeyPair, PublicKey, PublicKeyBox, SecretKey, SecretKeyBox};

use crate::error::{Error, IoContext, Result};

/// Environment variable holding a secret key's password, for scripts.
pub const PASSWORD_ENV: &str = "COMMONS_PASSWORD";

/// Where secret keys are kept by default.
pub fn secret_key_dir() -> PathBuf {
    if let Some(p) = std::env::var_os("COMMONS_KEY_DIR") {
        return PathBuf::from(p);
    }
    let config = std::env::var_os("XDG_CONFIG_HOME")
        .map(PathBuf::from)
        .unwrap_or_else(|| {
            std::env::var_os("HOME")
                .map(PathBuf::from)
                .unwrap_or_else(|| PathBuf::from("."))
                .join(".config")
        });
    config.join("commons").join("keys")
}

/// The default secret key file of a member.
pub fn default_secret_key_path(member: &str) -> PathBuf {
    secret_key_dir().join(format!("{member}.key"))
}

/// A minisign key id as `minisign` prints it: 16 uppercase hex digits.
pub fn key_id(keynum: &[u8]) -> String {
    let mut bytes = [0u8; 8];
    bytes.copy_from_slice(&keynum[..8]);
    format!("{:016X}", u64::from_le_bytes(bytes))
}

/// How to unlock a secret key.
#[derive(Debug, Clone)]
pub enum Password {
    /// The key has no password (CI).
    None,
    /// A password given by the caller (from the environment or a file).
    Given(String),
    /// Ask on the terminal.
    Prompt,
}

impl Password {
    /// The password from `$COMMONS_PASSWORD` if set, else prompt.
    pub fn from_env_or_prompt() -> Password {
        match std::env::var(PASSWORD_ENV) {
            Ok(p) => Password::Given(p),
            Err(_) => Password::Prompt,
        }
    }

    fn resolve(&self, prompt: &str, confirm: bool) -> Result<Option<String>> {
        match self {
            Password::None => Ok(None),
            Password::Given(p) => Ok(Some(p.clone())),
            Password::Prompt => {
                let first = rpassword::prompt_password(prompt).map_err(|e| {
                    Error::Usage(format!(
                        "cannot read a password from the terminal ({e}); set {PASSWORD_ENV} or use --no-password"
                    ))
                })?;
                if confirm {
                    let again = rpassword::prompt_password("Password (again): ")
                        .map_err(|e| Error::Other(e.to_string()))?;
                    if again != first {
                        return Err(Error::Usage("the two passwords differ".into()));
                    }
                }
                Ok(Some(first))
            }
        }
    }
}

/// A freshly generated key pair, as the texts to store.
pub struct GeneratedKey {
    pub key_id: String,
    pub public_text: String,
    pub secret_text: String,
    pub pk: PublicKey,
    pub sk: SecretKey,
}

/// Generates a minisign key pair, encrypted unless `password` is `None`.
pub fn generate(member: &str, password: &Password) -> Result<GeneratedKey> {
    let pass = password.resolve("Password for the new key: ", true)?;
    let kp = match pass {
        None => KeyPair::generate_unencrypted_keypair(),
        Some(p) => KeyPair::generate_encrypted_keypair(Some(p)),
    }
    .map_err(|e| Error::Other(format!("key generation failed: {e}")))?;
    let key_id = key_id(kp.pk.keynum());
    let public_text = format!(
        "untrusted comment: minisign public key {key_id}\n{}\n",
        kp.pk.to_base64()
    );
    let state = if kp.sk.is_encrypted() {
        "encrypted"
    } else {
        "unencrypted"
    };
    let secret_text = kp
        .sk
        .to_box(Some(&format!(
            "minisign {state} secret key of commons member {member}"
        )))
        .map_err(|e| Error::Other(e.to_string()))?
        .into_string();
    Ok(GeneratedKey {
        key_id,
        public_text,
        secret_text,
        pk: kp.pk,
        sk: kp.sk,
    })
}

/// Writes a secret key file that must not exist yet, readable by its owner only.
pub fn write_secret_key(path: &Path, text: &str) -> Result<()> {
    use std::io::Write;
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir).at(dir)?;
    }
    let mut opts = std::fs::OpenOptions::new();
    opts.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        opts.mode(0o600);
    }
    let mut f = opts.open(path).map_err(|e| match e.kind() {
        std::io::ErrorKind::AlreadyExists => Error::Key {
            path: path.to_path_buf(),
            message: "a secret key already exists here; choose another --name or --secret-key path"
                .into(),
        },
        _ => Error::io(path, e),
    })?;
    f.write_all(text.as_bytes()).at(path)?;
    f.sync_all().at(path)?;
    Ok(())
}

/// Reads a public key file (as written by `minisign -G` or `commons`).
pub fn read_public_key(path: &Path) -> Result<PublicKey> {
    let text =
        crate::bounded::read_text(path, crate::signing::MAX_SIGNATURE_BYTES).map_err(|e| {
            Error::Key {
                path: path.to_path_buf(),
                message: format!("cannot read public key: {e}"),
            }
        })?;
    parse_public_key(&text, path)
}

pub fn parse_public_key(text: &str, origin: &Path) -> Result<PublicKey> {
    let bad = |e: minisign::PError| Error::Key {
        path: origin.to_path_buf(),
        message: format!("not a minisign public key: {e}"),
    };
    // Accept both the two-line box and a bare base64 key.
    let trimmed = text.trim();
    if trimmed.lines().count() == 1 {
        return PublicKey::from_base64(trimmed).map_err(bad);
    }
    PublicKeyBox::from_string(text)
        .and_then(|b| b.into_public_key())
        .map_err(bad)
}

/// Reads and unlocks a secret key.
pub fn read_secret_key(path: &Path, password: &Password) -> Result<SecretKey> {
    let text = std::fs::read_to_string(path).map_err(|e| Error::Key {
        path: path.to_path_buf(),
        message: format!("cannot read secret key: {e}; generate one with `commons key generate` or pass --secret-key"),
    })?;
    let bad = |message: String| Error::Key {
        path: path.to_path_buf(),
        message,
    };
    let text = repair_unencrypted_checksum(&text).unwrap_or(text);
    let sk_box = SecretKeyBox::from_string(&text).map_err(|e| bad(e.to_string()))?;
    match sk_box.clone().into_unencrypted_secret_key() {
        Ok(sk) => Ok(sk),
        Err(e) if e.to_string().contains("encrypted") => {
            let pass = match password {
                Password::None => Password::from_env_or_prompt(),
                other => other.clone(),
            };
            let pass = pass.resolve("Password: ", false)?.unwrap_or_default();
            sk_box.into_secret_key(Some(pass)).map_err(|e| {
                let msg = e.to_string();
                if msg.contains("Wrong password") {
                    bad(format!(
                        "wrong password for this secret key (from ${PASSWORD_ENV} or the prompt)"
                    ))
                } else {
                    bad(format!("cannot unlock secret key: {msg}"))
                }
            })
        }
        Err(e) => Err(bad(format!("not a minisign secret key: {e}"))),
    }
}

/// `minisign -W` leaves the checksum of an unencrypted secret key zeroed;
/// the tool itself accepts such keys, so fill the checksum in before
/// loading. Returns `None` for any other key.
fn repair_unencrypted_checksum(text: &str) -> Option<String> {
    use base64::Engine;
    use blake2::digest::{Update, VariableOutput};
    let engine = base64::engine::general_purpose::STANDARD;
    let mut lines = text.lines();
    let comment = lines.next()?;
    let mut bytes = engine.decode(lines.next()?.trim()).ok()?;
    // sig_alg 0..2, kdf_alg 2..4, chk_alg 4..6, salt, limits, keynum 54..62, sk 62..126, chk 126..158
    if bytes.len() != 158 || bytes[2..4] != [0, 0] || bytes[126..].iter().any(|&b| b != 0) {
        return None;
    }
    let mut hasher = blake2::Blake2bVar::new(32).ok()?;
    hasher.update(&bytes[0..2]);
    hasher.update(&bytes[54..62]);
    hasher.update(&bytes[62..126]);
    hasher.finalize_variable(&mut bytes[126..158]).ok()?;
    Some(format!("{comment}\n{}\n", engine.encode(&bytes)))
}
