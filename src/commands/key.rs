//! `commons key`: generate, trust, revoke and list member keys.

use std::path::PathBuf;

use crate::cli::{Context, ExitStatus};
use crate::commons::Change;
use crate::config::{Member, Revocation};
use crate::keys::{self, Password};
use crate::output::{DataFormat, print_json, table};

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
    let mut commons = ctx.commons()?;
    anyhow::ensure!(
        commons.config.member(name).is_none(),
        "member `{name}` already exists in {}",
        commons.config_path().display()
    );
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
    let pub_rel = format!("keys/{name}.pub");
    commons.config.members.push(Member {
        name: name.into(),
        key: pub_rel.clone(),
        key_id: key.key_id.clone(),
    });
    let result = commons.commit_files(
        vec![
            Change::new(pub_rel, key.public_text),
            Change::new(crate::config::CONFIG_FILE, commons.config.to_yaml()),
        ],
        &format!("Add member {name} with key {}", key.key_id),
    );
    if let Err(e) = result {
        let _ = std::fs::remove_file(&sk_path);
        return Err(e.into());
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

fn trust(ctx: &Context, file: &std::path::Path, name: &str) -> anyhow::Result<ExitStatus> {
    check_member_name(name)?;
    let mut commons = ctx.commons()?;
    anyhow::ensure!(
        commons.config.member(name).is_none(),
        "member `{name}` already exists in {}",
        commons.config_path().display()
    );
    let pk = keys::read_public_key(file)?;
    let key_id = keys::key_id(pk.keynum());
    if let Some(m) = commons.config.member_by_key_id(&key_id) {
        anyhow::bail!("key {key_id} already belongs to member `{}`", m.name);
    }
    anyhow::ensure!(
        commons.config.is_revoked(&key_id).is_none(),
        "key {key_id} was revoked; it cannot be trusted again"
    );
    let pub_rel = format!("keys/{name}.pub");
    let text = format!(
        "untrusted comment: minisign public key {key_id}\n{}\n",
        pk.to_base64()
    );
    commons.config.members.push(Member {
        name: name.into(),
        key: pub_rel.clone(),
        key_id: key_id.clone(),
    });
    commons.commit_files(
        vec![
            Change::new(pub_rel, text),
            Change::new(crate::config::CONFIG_FILE, commons.config.to_yaml()),
        ],
        &format!("Trust key {key_id} of member {name}"),
    )?;
    ctx.printer
        .status("Trusted", format!("key {key_id} as member {name}"));
    Ok(ExitStatus::Success)
}

fn revoke(ctx: &Context, name: &str, reason: Option<String>) -> anyhow::Result<ExitStatus> {
    let mut commons = ctx.commons()?;
    let Some(pos) = commons.config.members.iter().position(|m| m.name == name) else {
        anyhow::bail!(
            "no member `{name}` in {} (see `commons key list`)",
            commons.config_path().display()
        );
    };
    let member = commons.config.members.remove(pos);
    let date = time::OffsetDateTime::now_utc().date().to_string();
    commons.config.policy.revoked.push(Revocation {
        name: name.into(),
        key_id: member.key_id.clone(),
        reason,
        date: Some(date),
    });
    commons.commit_files(
        vec![Change::new(
            crate::config::CONFIG_FILE,
            commons.config.to_yaml(),
        )],
        &format!("Revoke key {} of member {name}", member.key_id),
    )?;
    ctx.printer
        .status("Revoked", format!("key {} of {name}", member.key_id));
    Ok(ExitStatus::Success)
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
