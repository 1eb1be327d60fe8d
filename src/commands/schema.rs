//! `commons schema`: print the published JSON Schemas.

use crate::cli::{Context, ExitStatus};

/// Print the JSON Schema of manifests (or of commons.yaml)
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Which schema
    #[arg(value_enum, default_value = "manifest")]
    pub which: Which,
}

#[derive(Debug, Clone, Copy, clap::ValueEnum)]
pub enum Which {
    Manifest,
    Commons,
}

pub fn run(args: Args, _ctx: &Context) -> anyhow::Result<ExitStatus> {
    print!(
        "{}",
        match args.which {
            Which::Manifest => crate::schema::manifest_schema(),
            Which::Commons => crate::schema::config_schema(),
        }
    );
    Ok(ExitStatus::Success)
}
