//! `commons sign`: add your signature to manifests.

use std::path::PathBuf;

use super::signer::Signer;
use crate::cli::{Context, ExitStatus};
use crate::commons::{Change, Loaded};

/// Add your minisign signature to manifests (bound to each manifest's id and digest)
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Manifest ids or paths
    #[arg(required_unless_present = "all")]
    pub targets: Vec<String>,
    /// Sign every manifest you have not yet signed as it stands (never, or
    /// before it was edited)
    #[arg(long, conflicts_with = "targets")]
    pub all: bool,
    /// The member signing (default: $COMMONS_MEMBER, else the only member with a secret key here)
    #[arg(long = "as", value_name = "NAME", env = "COMMONS_MEMBER")]
    pub member: Option<String>,
    /// Secret key file (default: the member's key in the user's config folder)
    #[arg(long, value_name = "PATH")]
    pub secret_key: Option<PathBuf>,
}

pub fn run(args: Args, ctx: &Context) -> anyhow::Result<ExitStatus> {
    let commons = ctx.commons()?;
    let signer = Signer::of_member(&commons, args.member.as_deref(), args.secret_key, &ctx.dir)?;
    let (member, pk, sk, sk_id) = (&signer.member, &signer.pk, &signer.sk, &signer.key_id);
    let targets: Vec<Loaded> = if args.all {
        commons
            .load_all()?
            .into_iter()
            .filter(|l| !signed_as_is(l, member, pk))
            .collect()
    } else {
        args.targets
            .iter()
            .map(|t| commons.load(t))
            .collect::<crate::Result<_>>()?
    };
    let mut changes = Vec::new();
    let mut edits = Vec::new();
    for l in &targets {
        // The signature vouches for these bytes: they go in the same commit.
        if !commons.is_committed(l) {
            changes.push(Change::new(l.rel.clone(), l.bytes.clone()));
            edits.push(l.manifest.id.as_str());
        }
        let text = crate::signing::sign(&l.manifest, &l.bytes, member, pk, sk)?;
        let sig_path = crate::signing::signature_path(&l.path, member);
        let rel = crate::paths::relative_to(&sig_path, commons.root())
            .expect("signatures lie beside manifests");
        changes.push(Change::new(rel, text));
    }
    let snapshot = super::snapshot::refresh(&commons, &signer)?;
    if targets.is_empty() && snapshot.is_none() {
        ctx.printer.status("Nothing", "to sign");
        return Ok(ExitStatus::Success);
    }
    let mut removals = Vec::new();
    let mut body = format!("Key {sk_id}.");
    let seen = snapshot.as_ref().map(|s| s.version);
    if let Some(s) = snapshot {
        body.push_str(&format!("\nSnapshot version {}.", s.version));
        changes.extend(s.changes);
        removals.extend(s.removals);
    }
    let subject = match targets.as_slice() {
        [] => "snapshot".to_owned(),
        [one] => format!("{} {}", one.manifest.kind, one.manifest.id),
        many => format!("{} manifests", many.len()),
    };
    if !edits.is_empty() {
        body.push_str(&format!(
            "\nCommits the signed edits of {}.",
            edits.join(", ")
        ));
    }
    commons.commit_changes(
        changes,
        removals,
        &format!("Sign {subject} by {member}\n\n{body}"),
    )?;
    if let Some(v) = seen {
        super::snapshot::seen(&commons, v)?;
    }
    for id in &edits {
        ctx.printer
            .status("Committed", format!("the edit of {id} you signed"));
    }
    for l in &targets {
        ctx.printer.status(
            "Signed",
            format!(
                "{} {} ({})",
                l.manifest.kind,
                l.manifest.id,
                l.digest.short()
            ),
        );
    }
    Ok(ExitStatus::Success)
}

/// Whether `member` holds a valid signature of the manifest as it is now.
fn signed_as_is(l: &Loaded, member: &str, pk: &minisign::PublicKey) -> bool {
    let path = crate::signing::signature_path(&l.path, member);
    path.exists()
        && crate::signing::read_signature(&path)
            .is_ok_and(|f| crate::signing::verify_bytes(pk, &f.sig, &l.bytes).is_ok())
}
