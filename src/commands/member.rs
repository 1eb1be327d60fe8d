//! `commons member`: propose adding, removing or re-keying a member. Each
//! makes the next governance version, which counts once the membership
//! threshold of the current members (and the key it adds) have signed it.

use std::path::PathBuf;

use crate::cli::{Context, ExitStatus};
use crate::commons::Change;
use crate::config::Member;
use crate::keys;

use super::signer::Signer;

/// Members of the commons: propose adding, removing or re-keying one
#[derive(Debug, clap::Subcommand)]
pub enum MemberCommand {
    /// Propose a new member with their minisign public key
    Add {
        /// The member's name
        name: String,
        /// Their public key file (from `minisign -G` or `commons key generate`)
        #[arg(long, value_name = "FILE")]
        key: PathBuf,
    },
    /// Propose removing a member (their key stops counting once accepted)
    Remove {
        /// The member's name
        name: String,
    },
    /// Propose a member's new key; the new key must sign the proposal too
    RotateKey {
        /// The member's name
        name: String,
        /// The new public key file
        #[arg(long, value_name = "FILE")]
        key: PathBuf,
    },
}

pub fn run(cmd: MemberCommand, ctx: &Context) -> anyhow::Result<ExitStatus> {
    match cmd {
        MemberCommand::Add { name, key } => super::key::trust(ctx, &ctx.dir.join(key), &name),
        MemberCommand::Remove { name } => remove(ctx, &name),
        MemberCommand::RotateKey { name, key } => rotate(ctx, &name, &ctx.dir.join(key)),
    }
}

fn caller(commons: &crate::commons::Commons) -> Vec<Signer> {
    let trusted: Vec<&Member> = commons.config.members.iter().collect();
    Signer::at_hand(&trusted, None, None).into_iter().collect()
}

fn remove(ctx: &Context, name: &str) -> anyhow::Result<ExitStatus> {
    let commons = ctx.commons()?;
    anyhow::ensure!(
        commons.config.member(name).is_some(),
        "no member `{name}` in {} (see `commons key list`)",
        commons.config_path().display()
    );
    let signers = caller(&commons);
    super::governance::propose(
        ctx,
        &commons,
        &format!("remove member {name}"),
        Vec::new(),
        &signers,
        |c| {
            c.members.retain(|m| m.name != name);
            Ok(())
        },
    )
}

fn rotate(ctx: &Context, name: &str, file: &std::path::Path) -> anyhow::Result<ExitStatus> {
    let commons = ctx.commons()?;
    let Some(old) = commons.config.member(name).cloned() else {
        anyhow::bail!(
            "no member `{name}` in {} (see `commons key list`)",
            commons.config_path().display()
        );
    };
    let pk = keys::read_public_key(file)?;
    let key_id = keys::key_id(pk.keynum());
    anyhow::ensure!(
        commons.config.member_by_key_id(&key_id).is_none(),
        "key {key_id} already belongs to a member"
    );
    let rel = format!("keys/{name}.{key_id}.pub");
    let text = format!(
        "untrusted comment: minisign public key {key_id}\n{}\n",
        pk.to_base64()
    );
    let signers = caller(&commons);
    let what = format!("member {name}: key {} -> {key_id}", old.key_id);
    let new_key = rel.clone();
    super::governance::propose(
        ctx,
        &commons,
        &what,
        vec![Change::new(rel, text)],
        &signers,
        |c| {
            for m in c.members.iter_mut().filter(|m| m.name == name) {
                m.key = new_key.clone();
                m.key_id = key_id.clone();
                m.public_key = Some(pk.to_base64());
            }
            Ok(())
        },
    )
}
