//! `commons sign`: add your signature to manifests.

use std::path::PathBuf;

use crate::cli::{Context, ExitStatus};
use crate::commons::{Change, Commons, Loaded};
use crate::keys::{self, Password};

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
    let member = pick_member(&commons, args.member.as_deref())?;
    let m = commons.config.member(&member).ok_or_else(|| {
        anyhow::anyhow!("`{member}` is not a member of this commons (see `commons key list`)")
    })?;
    let pk_path = crate::paths::resolve_inside(commons.root(), &m.key)?;
    let pk = keys::read_public_key(&pk_path)?;
    let sk_path = args
        .secret_key
        .map(|p| ctx.dir.join(p))
        .unwrap_or_else(|| keys::default_secret_key_path(&member));
    let sk = keys::read_secret_key(&sk_path, &Password::None)?;
    let sk_id = keys::key_id(sk.keynum());
    anyhow::ensure!(
        sk_id == m.key_id,
        "{}: this secret key has id {sk_id}, but member `{member}`'s key is {}",
        sk_path.display(),
        m.key_id
    );
    anyhow::ensure!(
        commons.config.is_revoked(&sk_id).is_none(),
        "key {sk_id} is revoked; it cannot sign"
    );
    let targets: Vec<Loaded> = if args.all {
        commons
            .load_all()?
            .into_iter()
            .filter(|l| !signed_as_is(l, &member, &pk))
            .collect()
    } else {
        args.targets
            .iter()
            .map(|t| commons.load(t))
            .collect::<crate::Result<_>>()?
    };
    if targets.is_empty() {
        ctx.printer.status("Nothing", "to sign");
        return Ok(ExitStatus::Success);
    }
    let mut changes = Vec::new();
    let mut edits = Vec::new();
    for l in &targets {
        // The signature vouches for these bytes: they go in the same commit.
        if !commons.is_committed(l) {
            changes.push(Change::new(l.rel.clone(), l.bytes.clone()));
            edits.push(l.manifest.id.as_str());
        }
        let text = crate::signing::sign(&l.manifest, &l.bytes, &member, &pk, &sk)?;
        let sig_path = crate::signing::signature_path(&l.path, &member);
        let rel = crate::paths::relative_to(&sig_path, commons.root())
            .expect("signatures lie beside manifests");
        changes.push(Change::new(rel, text));
    }
    let subject = match targets.as_slice() {
        [one] => format!("{} {}", one.manifest.kind, one.manifest.id),
        many => format!("{} manifests", many.len()),
    };
    let with_edits = if edits.is_empty() {
        String::new()
    } else {
        format!("\n\nCommits the signed edits of {}.", edits.join(", "))
    };
    commons.commit_files(
        changes,
        &format!("Sign {subject} by {member}\n\nKey {sk_id}.{with_edits}"),
    )?;
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

fn pick_member(commons: &Commons, given: Option<&str>) -> anyhow::Result<String> {
    if let Some(m) = given {
        return Ok(m.to_owned());
    }
    let with_keys: Vec<&str> = commons
        .config
        .members
        .iter()
        .filter(|m| keys::default_secret_key_path(&m.name).exists())
        .map(|m| m.name.as_str())
        .collect();
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
