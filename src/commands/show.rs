//! `commons show`: one manifest, with its signatures' status.

use crate::cli::{Context, ExitStatus};
use crate::governance::keyring::Keyring;
use crate::output::{DataFormat, print_json};
use crate::verify::valid_signers;

/// Show one manifest and who has signed it
#[derive(Debug, clap::Args)]
pub struct Args {
    /// A manifest id or path
    pub id: String,
    /// Output: human text, or JSON for scripts
    #[arg(long, value_enum, default_value = "human")]
    pub format: DataFormat,
}

pub fn run(args: Args, ctx: &Context) -> anyhow::Result<ExitStatus> {
    let commons = ctx.commons()?;
    let loaded = commons.load(&args.id)?;
    let keys = Keyring::of(&commons.config, commons.root(), &commons.config_path())?;
    let sigs = crate::signing::signature_files(&loaded.path);
    let mut findings = Vec::new();
    let signers = valid_signers(&commons.config, &keys, &loaded, &sigs, &mut findings);
    let quorum = commons.config.policy.quorum as usize;
    match args.format {
        DataFormat::Json => print_json(&serde_json::json!({
            "id": loaded.manifest.id,
            "kind": loaded.manifest.kind,
            "path": loaded.rel,
            "sha256": loaded.digest,
            "signed_by": signers,
            "accepted": signers.len() >= quorum,
            "signature_problems": findings,
            "manifest": loaded.manifest,
        }))?,
        DataFormat::Human => {
            println!(
                "# {} {} ({})",
                loaded.manifest.kind, loaded.manifest.id, loaded.rel
            );
            println!("# sha256 {}", loaded.digest);
            let who = if signers.is_empty() {
                "nobody".to_owned()
            } else {
                signers.iter().cloned().collect::<Vec<_>>().join(", ")
            };
            let state = if signers.len() >= quorum {
                "accepted"
            } else {
                "not accepted"
            };
            println!(
                "# signed by {who}: {} of {quorum} required, {state}",
                signers.len()
            );
            for f in &findings {
                println!("# {}: {}", f.rule, f.message);
            }
            print!("{}", String::from_utf8_lossy(&loaded.bytes));
        }
    }
    Ok(ExitStatus::Success)
}
