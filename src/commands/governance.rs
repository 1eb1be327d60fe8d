//! `commons governance`: adopt (make `commons.yaml` signed version 1), sign
//! a proposed version, show the chain of versions, withdraw a proposal.
//! `commons member`, `commons policy` and `commons key` make the proposals.

use std::path::PathBuf;

use crate::cli::{Context, ExitStatus};
use crate::commons::{Change, Commons};
use crate::config::{CommonsConfig, Member};
use crate::governance::proposal::{Outcome, Proposal};
use crate::governance::{Chain, version_rel};
use crate::output::{DataFormat, print_json, table};

use super::signer::Signer;

/// Signed governance: the versions of the commons' members and policy
#[derive(Debug, clap::Subcommand)]
pub enum GovernanceCommand {
    /// Make the current commons.yaml governance version 1, signed by the members whose keys are here
    Adopt(SignArgs),
    /// Sign the proposed governance version; it is accepted once its threshold is met
    Sign(SignArgs),
    /// Show every governance version, what it changed and who approved it
    Log {
        /// Output: human text, or JSON for scripts
        #[arg(long, value_enum, default_value = "human")]
        format: DataFormat,
    },
    /// Withdraw the proposed (not yet accepted) governance version
    Withdraw,
}

#[derive(Debug, clap::Args)]
pub struct SignArgs {
    /// The member signing (default: $COMMONS_MEMBER, else the only member with a secret key here)
    #[arg(long = "as", value_name = "NAME", env = "COMMONS_MEMBER")]
    pub member: Option<String>,
    /// Secret key file (default: the member's key in the user's config folder)
    #[arg(long, value_name = "PATH")]
    pub secret_key: Option<PathBuf>,
}

pub fn run(cmd: GovernanceCommand, ctx: &Context) -> anyhow::Result<ExitStatus> {
    match cmd {
        GovernanceCommand::Adopt(args) => adopt(ctx, args),
        GovernanceCommand::Sign(args) => sign(ctx, args),
        GovernanceCommand::Log { format } => log(ctx, format),
        GovernanceCommand::Withdraw => withdraw(ctx),
    }
}

fn adopt(ctx: &Context, args: SignArgs) -> anyhow::Result<ExitStatus> {
    let commons = ctx.commons()?;
    anyhow::ensure!(
        commons.governance.is_none(),
        "{}/ already holds signed governance versions; propose changes with `commons member` or `commons policy`",
        commons.root().join(crate::governance::DIR).display()
    );
    anyhow::ensure!(
        !commons.config.members.is_empty(),
        "{} names no members yet: add the first with `commons key generate`",
        commons.config_path().display()
    );
    let mut proposal = Proposal::founding(commons.config.clone(), commons.root())?;
    let members: Vec<&Member> = commons.config.members.iter().collect();
    let signers: Vec<Signer> = match (&args.member, &args.secret_key) {
        (None, None) => members
            .iter()
            .filter_map(|m| Signer::at_hand(&members, Some(&m.name), None))
            .collect(),
        _ => vec![Signer::load(
            &members,
            args.member.as_deref(),
            args.secret_key.map(|p| ctx.dir.join(p)),
        )?],
    };
    for s in &signers {
        proposal.sign(&s.member, &s.pk, &s.sk)?;
    }
    commit(
        ctx,
        &commons,
        proposal,
        Vec::new(),
        &signers,
        "adopt commons.yaml as signed governance",
    )
}

fn sign(ctx: &Context, args: SignArgs) -> anyhow::Result<ExitStatus> {
    let commons = ctx.commons()?;
    let chain = chain(&commons)?;
    let mut proposal = Proposal::pending(chain)?;
    let proposed = proposal.config()?;
    let members: Vec<&Member> = commons
        .config
        .members
        .iter()
        .chain(proposed.members.iter())
        .collect();
    let signer = Signer::load(
        &members,
        args.member.as_deref(),
        args.secret_key.map(|p| ctx.dir.join(p)),
    )?;
    proposal.sign(&signer.member, &signer.pk, &signer.sk)?;
    let what = format!("signed by {}", signer.member);
    commit(ctx, &commons, proposal, Vec::new(), &[signer], &what)
}

fn withdraw(ctx: &Context) -> anyhow::Result<ExitStatus> {
    let commons = ctx.commons()?;
    let chain = chain(&commons)?;
    let Some(p) = chain.pending() else {
        anyhow::bail!("no governance version is proposed");
    };
    let mut removals = vec![p.rel.clone()];
    removals.extend(p.signatures.iter().map(|(r, _)| r.clone()));
    commons.commit_changes(
        Vec::new(),
        removals,
        &format!("Withdraw proposed governance version {}", p.number),
    )?;
    ctx.printer.status(
        "Withdrew",
        format!("proposed governance version {}", p.number),
    );
    Ok(ExitStatus::Success)
}

/// The signed chain, or the reason there is none.
pub fn chain(commons: &Commons) -> anyhow::Result<&Chain> {
    commons.governance.as_ref().ok_or_else(|| {
        anyhow::anyhow!(
            "{} has never been signed: run `commons governance adopt` first",
            commons.config_path().display()
        )
    })
}

/// Founds the governance: `config` becomes version 1, signed by `proof`.
pub fn found(
    ctx: &Context,
    commons: &Commons,
    config: CommonsConfig,
    key_file: Change,
    proof: Option<Signer>,
    what: &str,
) -> anyhow::Result<ExitStatus> {
    let mut proposal = Proposal::founding(config, commons.root())?;
    let signers: Vec<Signer> = proof.into_iter().collect();
    for s in &signers {
        proposal.sign(&s.member, &s.pk, &s.sk)?;
    }
    commit(ctx, commons, proposal, vec![key_file], &signers, what)
}

/// Proposes the next version made by `edit`, signed by `signers`, and
/// commits it with `extra` files (a new member's public key).
pub fn propose(
    ctx: &Context,
    commons: &Commons,
    what: &str,
    extra: Vec<Change>,
    signers: &[Signer],
    edit: impl FnOnce(&mut CommonsConfig) -> crate::Result<()>,
) -> anyhow::Result<ExitStatus> {
    let mut proposal = Proposal::next(chain(commons)?, edit)?;
    if !proposal.dropped.is_empty() {
        ctx.printer.warn(format!(
            "this amends proposed version {}: the signatures of {} no longer apply",
            proposal.number,
            proposal.dropped.join(", ")
        ));
    }
    for s in signers {
        proposal.sign(&s.member, &s.pk, &s.sk)?;
    }
    commit(ctx, commons, proposal, extra, signers, what)
}

/// Commits a proposal with its signatures; says whether it was accepted.
/// An accepted version comes with a snapshot signed under it, when one of
/// its members signed it here.
fn commit(
    ctx: &Context,
    commons: &Commons,
    proposal: Proposal,
    extra: Vec<Change>,
    signers: &[Signer],
    what: &str,
) -> anyhow::Result<ExitStatus> {
    let proposed = proposal.config()?;
    let Outcome {
        number,
        approval,
        mut changes,
        mut removals,
    } = proposal.finish(commons.root());
    changes.extend(extra);
    let accepted = approval.accepted();
    let mut snapshot = 0;
    if accepted
        && let Some(s) = signers
            .iter()
            .find(|s| proposed.member_by_key_id(&s.key_id).is_some())
    {
        let tree = commons.manifest_digests()?;
        if let Some(made) = crate::snapshot::refresh(
            commons.root(),
            &tree,
            number,
            proposed.policy.snapshot_expiry_days,
            &s.member,
            &s.pk,
            &s.sk,
        )? {
            snapshot = made.version;
            changes.extend(made.changes);
            removals.extend(made.removals);
        }
    }
    let message = if accepted {
        format!(
            "Governance version {number}: {what}\n\nAccepted: signed by {}.",
            approval
                .approvers
                .iter()
                .cloned()
                .collect::<Vec<_>>()
                .join(", ")
        )
    } else {
        format!(
            "Propose governance version {number}: {what}\n\n{}.",
            approval.shortfall()
        )
    };
    let root_digest = match &commons.governance {
        Some(chain) => chain.root().map(|v| v.digest.clone()),
        None => changes
            .iter()
            .find(|c| c.rel == version_rel(1))
            .map(|c| crate::digest::Sha256Hex::of_bytes(&c.contents)),
    };
    commons.commit_changes(changes, removals, &message)?;
    if accepted {
        crate::clone_trust::CloneTrust::raise(
            commons.root(),
            root_digest.as_ref(),
            number,
            snapshot,
        )?;
        ctx.printer.status(
            "Accepted",
            format!("governance version {number} ({what}); commons.yaml now holds it"),
        );
    } else {
        ctx.printer.status(
            "Proposed",
            format!(
                "governance version {number} ({what}) in {}: {}; members sign with `commons governance sign`",
                version_rel(number),
                approval.shortfall()
            ),
        );
    }
    Ok(ExitStatus::Success)
}

fn log(ctx: &Context, format: DataFormat) -> anyhow::Result<ExitStatus> {
    let commons = ctx.commons()?;
    let chain = chain(&commons)?;
    let mut rows = Vec::new();
    for (i, v) in chain.versions.iter().enumerate() {
        let approval = chain.approvals.get(i);
        let status = if i < chain.accepted {
            "accepted"
        } else if i == chain.accepted && i + 1 == chain.versions.len() {
            "proposed"
        } else {
            "invalid"
        };
        let previous = i
            .checked_sub(1)
            .and_then(|p| chain.versions[p].config.as_ref().ok());
        let changes = match &v.config {
            Ok(c) => describe(previous, c),
            Err(e) => vec![format!("unreadable: {e}")],
        };
        rows.push(serde_json::json!({
            "version": v.number,
            "file": v.rel,
            "sha256": v.digest,
            "status": status,
            "approved_by": approval.map(|a| a.approvers.iter().cloned().collect::<Vec<_>>()).unwrap_or_default(),
            "threshold": approval.map(|a| a.threshold).unwrap_or(0),
            "missing": approval.filter(|a| !a.accepted()).map(|a| a.shortfall()),
            "changes": changes,
        }));
    }
    match format {
        DataFormat::Json => print_json(&serde_json::json!({ "versions": rows }))?,
        DataFormat::Human => {
            let mut t = table(&["version", "status", "approved by", "changes"]);
            for r in &rows {
                let by: Vec<&str> = r["approved_by"]
                    .as_array()
                    .into_iter()
                    .flatten()
                    .filter_map(|x| x.as_str())
                    .collect();
                let changes: Vec<&str> = r["changes"]
                    .as_array()
                    .into_iter()
                    .flatten()
                    .filter_map(|x| x.as_str())
                    .collect();
                t.add_row(vec![
                    format!(
                        "{} ({})",
                        r["version"],
                        &r["sha256"].as_str().unwrap_or("")[..12]
                    ),
                    r["status"].as_str().unwrap_or("").to_owned(),
                    format!("{} ({} of {})", by.join(", "), by.len(), r["threshold"]),
                    changes.join("\n"),
                ]);
            }
            println!("{t}");
        }
    }
    Ok(ExitStatus::Success)
}

/// What `next` changes of `previous`, one line per change.
pub fn describe(previous: Option<&CommonsConfig>, next: &CommonsConfig) -> Vec<String> {
    let Some(prev) = previous else {
        let names: Vec<&str> = next.members.iter().map(|m| m.name.as_str()).collect();
        return vec![format!(
            "founded with member(s) {}; quorum {}, membership threshold {}",
            names.join(", "),
            next.policy.quorum,
            next.policy.membership_threshold
        )];
    };
    let mut out = Vec::new();
    if prev.name != next.name {
        out.push(format!("name: {} -> {}", prev.name, next.name));
    }
    for m in &next.members {
        match prev.member(&m.name) {
            None => out.push(format!("add member {} (key {})", m.name, m.key_id)),
            Some(p) if !p.key_id.eq_ignore_ascii_case(&m.key_id) => out.push(format!(
                "member {}: key {} -> {}",
                m.name, p.key_id, m.key_id
            )),
            _ => {}
        }
    }
    for m in &prev.members {
        if next.member(&m.name).is_none() {
            out.push(format!("remove member {}", m.name));
        }
    }
    let before = serde_json::to_value(&prev.policy).unwrap_or_default();
    let after = serde_json::to_value(&next.policy).unwrap_or_default();
    if let (Some(b), Some(a)) = (before.as_object(), after.as_object()) {
        for (k, v) in a {
            let old = b.get(k).cloned().unwrap_or(serde_json::Value::Null);
            if old != *v {
                out.push(format!("policy.{k}: {old} -> {v}"));
            }
        }
        for k in b.keys().filter(|k| !a.contains_key(*k)) {
            out.push(format!("policy.{k}: removed"));
        }
    }
    out
}
