//! `commons snapshot`: sign the current state of the commons, so that a
//! manifest deleted or rolled back later is noticed.

use std::path::PathBuf;

use crate::cli::{Context, ExitStatus};
use crate::commons::Commons;

use super::signer::Signer;

/// Sign a snapshot of every manifest's digest (done by `commons sign` too)
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The member signing (default: $COMMONS_MEMBER, else the only member with a secret key here)
    #[arg(long = "as", value_name = "NAME", env = "COMMONS_MEMBER")]
    pub member: Option<String>,
    /// Secret key file (default: the member's key in the user's config folder)
    #[arg(long, value_name = "PATH")]
    pub secret_key: Option<PathBuf>,
}

pub use crate::snapshot::Refresh;

/// The snapshot `signer` signs for the manifests now in the tree, unless the
/// one in the tree already lists them and carries their signature.
pub fn refresh(commons: &Commons, signer: &Signer) -> anyhow::Result<Option<Refresh>> {
    refresh_for(commons, signer, &commons.manifest_digests()?)
}

/// Like [`refresh`], for the manifests of `tree` (paths and digests): the
/// tree as a commit about to be made will leave it.
pub fn refresh_for(
    commons: &Commons,
    signer: &Signer,
    tree: &std::collections::BTreeMap<String, crate::digest::Sha256Hex>,
) -> anyhow::Result<Option<Refresh>> {
    Ok(crate::snapshot::refresh(
        commons.root(),
        tree,
        commons.governance_version(),
        commons.config.policy.snapshot_expiry_days,
        &signer.member,
        &signer.pk,
        &signer.sk,
    )?)
}

/// Raises this clone's snapshot pin to a snapshot it just signed.
pub fn seen(commons: &Commons, version: u64) -> anyhow::Result<()> {
    crate::clone_trust::CloneTrust::raise(
        commons.root(),
        None,
        commons.governance_version(),
        version,
    )?;
    Ok(())
}

pub fn run(args: Args, ctx: &Context) -> anyhow::Result<ExitStatus> {
    let commons = ctx.commons()?;
    let signer = Signer::of_member(&commons, args.member.as_deref(), args.secret_key, &ctx.dir)?;
    let Some(r) = refresh(&commons, &signer)? else {
        ctx.printer.status(
            "Unchanged",
            "the snapshot already lists every manifest as it is",
        );
        return Ok(ExitStatus::Success);
    };
    commons.commit_changes(
        r.changes,
        r.removals,
        &format!(
            "Snapshot version {} by {}\n\nKey {}.",
            r.version, signer.member, signer.key_id
        ),
    )?;
    seen(&commons, r.version)?;
    ctx.printer.status(
        "Signed",
        format!("snapshot version {} as {}", r.version, signer.member),
    );
    Ok(ExitStatus::Success)
}
