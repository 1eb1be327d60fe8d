//! `commons repin`: move a record's pins to its upstream records as they
//! are now (what `cargo update` is to `Cargo.lock`).

use std::collections::{BTreeMap, BTreeSet};

use crate::cli::{Context, ExitStatus};
use crate::commons::{Change, Loaded};
use crate::digest::Sha256Hex;
use crate::governance::keyring::Keyring;
use crate::output::{DataFormat, print_json};
use crate::pins::Repinned;
use crate::verify::valid_signers;

/// Re-pin records' references to the current digests of their upstream records
///
/// A reference carries the sha256 of the manifest it names; when that
/// upstream record is edited, the pin goes stale (`reference-digest-mismatch`
/// in `check` and `verify`). After reviewing the change, `repin` rewrites the
/// pinned digests, and nothing else, in one commit. The records' own digests
/// change, so their signatures must be made again: `repin` names them.
/// With no ID, every model and dataset is re-pinned, upstream records
/// first (an evaluation is re-pinned only when named: its result was
/// measured on the model as it was).
#[derive(Debug, clap::Args)]
#[command(visible_alias = "update")]
pub struct Args {
    /// Records to re-pin (id or manifest path); none: every model and dataset
    #[arg(value_name = "ID")]
    pub ids: Vec<String>,
    /// Show what would change, write nothing
    #[arg(long)]
    pub dry_run: bool,
    /// Output: human text, or JSON for scripts
    #[arg(long, value_enum, default_value = "human")]
    pub format: DataFormat,
}

/// One record re-pinned, and whose signatures that invalidates.
#[derive(serde::Serialize)]
struct Outcome {
    id: String,
    manifest: String,
    pins: Vec<Repinned>,
    invalidated_signatures: BTreeSet<String>,
}

pub fn run(args: Args, ctx: &Context) -> anyhow::Result<ExitStatus> {
    let commons = ctx.commons()?;
    let all = commons.load_all()?;
    let chosen: BTreeSet<String> = if args.ids.is_empty() {
        all.iter()
            .filter(|l| l.manifest.kind != crate::manifest::Kind::Eval)
            .map(|l| l.manifest.id.clone())
            .collect()
    } else {
        args.ids
            .iter()
            .map(|id| Ok(commons.load(id)?.manifest.id))
            .collect::<crate::Result<_>>()?
    };
    let keys = Keyring::of(&commons.config, commons.root(), &commons.config_path())?;
    let mut digests: BTreeMap<String, Sha256Hex> = all
        .iter()
        .map(|l| (l.manifest.id.clone(), l.digest.clone()))
        .collect();
    let mut rewritten: BTreeMap<String, (Loaded, Outcome)> = BTreeMap::new();
    // Until nothing moves: a re-pinned record changes the digest its own
    // downstream records must pin.
    for _ in 0..=all.len() {
        let mut moved = false;
        for l in all.iter().filter(|l| chosen.contains(&l.manifest.id)) {
            let current = rewritten.get(&l.manifest.id).map(|(c, _)| c).unwrap_or(l);
            let Some((pins, bytes)) = crate::pins::repin(current, |id| digests.get(id).cloned())?
            else {
                continue;
            };
            moved = true;
            let mut next = current.clone();
            next.digest = Sha256Hex::of_bytes(&bytes);
            next.manifest = crate::manifest::Manifest::from_yaml(
                &String::from_utf8_lossy(&bytes),
                std::path::Path::new(&l.rel),
            )?;
            next.bytes = bytes;
            digests.insert(l.manifest.id.clone(), next.digest.clone());
            let outcome = rewritten
                .remove(&l.manifest.id)
                .map(|(_, o)| o)
                .unwrap_or_else(|| Outcome {
                    id: l.manifest.id.clone(),
                    manifest: l.rel.clone(),
                    pins: Vec::new(),
                    invalidated_signatures: valid_signers(
                        &commons.config,
                        &keys,
                        l,
                        &crate::signing::signature_files(&l.path),
                        &mut Vec::new(),
                    ),
                });
            let mut outcome = outcome;
            outcome.pins.extend(pins);
            rewritten.insert(l.manifest.id.clone(), (next, outcome));
        }
        if !moved {
            break;
        }
    }
    for (_, outcome) in rewritten.values() {
        for pin in &outcome.pins {
            let upstream = all.iter().find(|l| l.manifest.id == pin.upstream);
            if let Some(up) = upstream.filter(|_| !rewritten.contains_key(&pin.upstream)) {
                commons.require_committed(up)?;
            }
        }
    }
    let outcomes: Vec<&Outcome> = rewritten.values().map(|(_, o)| o).collect();
    print(&outcomes, args.format)?;
    if outcomes.is_empty() {
        ctx.printer
            .status("Nothing", "to re-pin: every pin is up to date");
        return Ok(ExitStatus::Success);
    }
    for o in &outcomes {
        if !o.invalidated_signatures.is_empty() {
            let who: Vec<&str> = o
                .invalidated_signatures
                .iter()
                .map(String::as_str)
                .collect();
            ctx.printer.warn(format!(
                "re-pinning {} invalidates the signatures of {}: they review it and run `commons sign {}`",
                o.id,
                who.join(", "),
                o.id
            ));
        }
    }
    warn_downstream(ctx, &all, &rewritten, &chosen);
    if args.dry_run {
        ctx.printer.status("Dry run", "nothing written");
        return Ok(ExitStatus::Success);
    }
    let changes = rewritten
        .values()
        .map(|(l, _)| Change::new(l.rel.clone(), l.bytes.clone()))
        .collect();
    commons.commit_files(changes, &commit_message(&outcomes))?;
    for o in &outcomes {
        ctx.printer
            .status("Re-pinned", format!("{} ({} pin(s))", o.id, o.pins.len()));
    }
    Ok(ExitStatus::Success)
}

fn print(outcomes: &[&Outcome], format: DataFormat) -> anyhow::Result<()> {
    match format {
        DataFormat::Json => print_json(&outcomes)?,
        DataFormat::Human => {
            for o in outcomes {
                for p in &o.pins {
                    let from = p.from.as_ref().map(Sha256Hex::short).unwrap_or("unpinned");
                    println!(
                        "{} {}: {} {from} -> {}",
                        o.id,
                        p.field,
                        p.upstream,
                        p.to.short()
                    );
                }
            }
        }
    }
    Ok(())
}

/// Records left out of the run that pin a re-pinned record go stale.
fn warn_downstream(
    ctx: &Context,
    all: &[Loaded],
    rewritten: &BTreeMap<String, (Loaded, Outcome)>,
    chosen: &BTreeSet<String>,
) {
    for l in all.iter().filter(|l| !chosen.contains(&l.manifest.id)) {
        for to in l.manifest.references().into_iter().map(|r| r.id) {
            if rewritten.contains_key(to) {
                ctx.printer.warn(format!(
                    "{} pins {to}, whose digest this changes: `commons repin {}` after review",
                    l.manifest.id, l.manifest.id
                ));
            }
        }
    }
}

fn commit_message(outcomes: &[&Outcome]) -> String {
    let subject = match outcomes {
        [one] => {
            let ups: BTreeSet<&str> = one.pins.iter().map(|p| p.upstream.as_str()).collect();
            format!(
                "Re-pin {} to the current {}",
                one.id,
                ups.into_iter().collect::<Vec<_>>().join(", ")
            )
        }
        many => format!("Re-pin {} records to their current upstreams", many.len()),
    };
    let body: Vec<String> = outcomes
        .iter()
        .flat_map(|o| {
            o.pins
                .iter()
                .map(move |p| format!("{} {}: {} -> {}", o.id, p.field, p.upstream, p.to))
        })
        .collect();
    format!("{subject}\n\n{}", body.join("\n"))
}
