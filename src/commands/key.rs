//! `commons key`: generate, trust, revoke and list member keys.

use std::path::PathBuf;

use crate::cli::{Context, ExitStatus};
use crate::commons::{Change, Commons};
use crate::config::{Member, Revocation};
use crate::keys::{self, Password};
use crate::output::{DataFormat, print_json, table};

use super::signer::Signer;

/// Member keys: generate, trust, revoke, list
#[derive(Debug, clap::Subcommand)]
pub enum KeyCommand {
    /// Make a minisign key pair for a member and add the public key to the commons
    Generate {
        /// The member's name
        #[arg(long)]
        name: String,
        /// Do not protect the secret key with a password (for CI)
        #[arg(long)]
        no_password: bool,
        /// Where to write the secret key (default: the user's config folder)
        #[arg(long, value_name = "PATH")]
        secret_key: Option<PathBuf>,
    },
    /// Add a member's existing minisign public key (e.g. from `minisign -G`)
    Trust {
        /// The public key file
        file: PathBuf,
        /// The member's name
        #[arg(long)]
        name: String,
    },
    /// Revoke a member's key: its signatures stop counting
    Revoke {
        /// The member's name
        name: String,
        /// Why (recorded in commons.yaml)
        #[arg(long)]
        reason: Option<String>,
    },
    /// List members and their keys
    List {
        /// Output: human text, or JSON for scripts
        #[arg(long, value_enum, default_value = "human")]
        format: DataFormat,
    },
}

pub fn run(cmd: KeyCommand, ctx: &Context) -> anyhow::Result<ExitStatus> {
    match cmd {
        KeyCommand::Generate {
            name,
            no_password,
            secret_key,
        } => generate(ctx, &name, no_password, secret_key),
        KeyCommand::Trust { file, name } => trust(ctx, &ctx.dir.join(file), &name),
        KeyCommand::Revoke { name, reason } => revoke(ctx, &name, reason),
        KeyCommand::List { format } => list(ctx, format),
    }
}

fn check_member_name(name: &str) -> anyhow::Result<()> {
    let ok = !name.is_empty()
        && !name.starts_with(['.', '-'])
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'));
    anyhow::ensure!(
        ok,
        "--name `{name}`: member names are letters, digits, `-`, `_` and `.`"
    );
    Ok(())
}

fn generate(
    ctx: &Context,
    name: &str,
    no_password: bool,
    secret_key: Option<PathBuf>,
) -> anyhow::Result<ExitStatus> {
    check_member_name(name)?;
    let commons = ctx.commons()?;
    ensure_new_member(&commons, name)?;
    let password = if no_password {
        Password::None
    } else {
        Password::from_env_or_prompt()
    };
    let key = keys::generate(name, &password)?;
    let sk_path = secret_key
        .map(|p| ctx.dir.join(p))
        .unwrap_or_else(|| keys::default_secret_key_path(name));
    keys::write_secret_key(&sk_path, &key.secret_text)?;
    let member = Member {
        name: name.into(),
        key: format!("keys/{name}.pub"),
        key_id: key.key_id.clone(),
        public_key: Some(key.pk.to_base64()),
    };
    let proof = Signer {
        member: name.into(),
        key_id: key.key_id.clone(),
        pk: key.pk.clone(),
        sk: keys::read_secret_key(&sk_path, &password)?,
    };
    let result = add_member(ctx, &commons, member, key.public_text.clone(), Some(proof));
    if result.is_err() {
        let _ = std::fs::remove_file(&sk_path);
        return result;
    }
    ctx.printer.status(
        "Generated",
        format!(
            "key {} for {name}; secret key at {}",
            key.key_id,
            sk_path.display()
        ),
    );
    println!("{}", key.key_id);
    Ok(ExitStatus::Success)
}

fn ensure_new_member(commons: &Commons, name: &str) -> anyhow::Result<()> {
    anyhow::ensure!(
        commons.config.member(name).is_none(),
        "member `{name}` already exists in {}",
        commons.config_path().display()
    );
    Ok(())
}

/// Adds `member`: founds the governance when it is the first member,
/// otherwise proposes the next version, signed by the new key (`proof`)
/// and by the caller's member key if one is at hand.
pub fn add_member(
    ctx: &Context,
    commons: &Commons,
    member: Member,
    public_text: String,
    proof: Option<Signer>,
) -> anyhow::Result<ExitStatus> {
    let what = format!("add member {} with key {}", member.name, member.key_id);
    let key_file = Change::new(member.key.clone(), public_text);
    if commons.governance.is_none() {
        anyhow::ensure!(
            commons.config.members.is_empty(),
            "{} has members but has never been signed: run `commons governance adopt` first",
            commons.config_path().display()
        );
        let mut config = commons.config.clone();
        config.members.push(member);
        return super::governance::found(ctx, commons, config, key_file, proof, &what);
    }
    let mut signers: Vec<Signer> = proof.into_iter().collect();
    let trusted: Vec<&Member> = commons.config.members.iter().collect();
    signers.extend(Signer::at_hand(&trusted, None, None));
    let name = member.name.clone();
    super::governance::propose(ctx, commons, &what, vec![key_file], &signers, |c| {
        if c.member(&name).is_some() {
            return Err(crate::Error::Usage(format!(
                "member `{name}` is already in the proposed version"
            )));
        }
        c.members.push(member);
        Ok(())
    })
}

pub fn trust(ctx: &Context, file: &std::path::Path, name: &str) -> anyhow::Result<ExitStatus> {
    check_member_name(name)?;
    let commons = ctx.commons()?;
    ensure_new_member(&commons, name)?;
    let pk = keys::read_public_key(file)?;
    let key_id = keys::key_id(pk.keynum());
    if let Some(m) = commons.config.member_by_key_id(&key_id) {
        anyhow::bail!("key {key_id} already belongs to member `{}`", m.name);
    }
    anyhow::ensure!(
        commons.config.is_revoked(&key_id).is_none(),
        "key {key_id} was revoked; it cannot be trusted again"
    );
    let text = format!(
        "untrusted comment: minisign public key {key_id}\n{}\n",
        pk.to_base64()
    );
    let member = Member {
        name: name.into(),
        key: format!("keys/{name}.pub"),
        key_id,
        public_key: Some(pk.to_base64()),
    };
    add_member(ctx, &commons, member, text, None)
}

fn revoke(ctx: &Context, name: &str, reason: Option<String>) -> anyhow::Result<ExitStatus> {
    let commons = ctx.commons()?;
    let Some(member) = commons.config.member(name).cloned() else {
        anyhow::bail!(
            "no member `{name}` in {} (see `commons key list`)",
            commons.config_path().display()
        );
    };
    let trusted: Vec<&Member> = commons
        .config
        .members
        .iter()
        .filter(|m| m.name != name)
        .collect();
    let signers: Vec<Signer> = Signer::at_hand(&trusted, None, None).into_iter().collect();
    let date = time::OffsetDateTime::now_utc().date().to_string();
    let what = format!("revoke key {} of member {name}", member.key_id);
    super::governance::propose(ctx, &commons, &what, Vec::new(), &signers, |c| {
        c.members.retain(|m| m.name != name);
        c.policy.revoked.push(Revocation {
            name: name.into(),
            key_id: member.key_id.clone(),
            reason,
            date: Some(date),
        });
        Ok(())
    })
}

fn list(ctx: &Context, format: DataFormat) -> anyhow::Result<ExitStatus> {
    let commons = ctx.commons()?;
    let cfg = &commons.config;
    let mut rows: Vec<(String, String, String, String)> = cfg
        .members
        .iter()
        .map(|m| {
            (
                m.name.clone(),
                m.key_id.clone(),
                "trusted".into(),
                m.key.clone(),
            )
        })
        .collect();
    rows.extend(cfg.policy.revoked.iter().map(|r| {
        let why = r
            .reason
            .as_deref()
            .map(|x| format!(": {x}"))
            .unwrap_or_default();
        (
            r.name.clone(),
            r.key_id.clone(),
            format!("revoked{why}"),
            String::new(),
        )
    }));
    match format {
        DataFormat::Json => print_json(&serde_json::json!({
            "quorum": cfg.policy.quorum,
            "keys": rows.iter().map(|(n, k, s, f)| serde_json::json!({"member": n, "key_id": k, "status": s, "file": f})).collect::<Vec<_>>(),
        }))?,
        DataFormat::Human => {
            let mut t = table(&["member", "key id", "status", "public key"]);
            for (n, k, s, f) in rows {
                t.add_row(vec![n, k, s, f]);
            }
            println!("{t}");
            println!("quorum: {} distinct member signature(s)", cfg.policy.quorum);
        }
    }
    Ok(ExitStatus::Success)
}
