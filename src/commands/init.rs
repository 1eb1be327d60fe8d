//! `commons init`: make a commons (or adopt an existing git repository).

use std::path::PathBuf;

use crate::cli::{Context, ExitStatus};
use crate::commons::Commons;

/// Make a commons: a git repository with commons.yaml and keys/, committed
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Folder to make the commons in (default: the current folder)
    #[arg(value_name = "DIR")]
    pub path: Option<PathBuf>,
    /// The commons' name (default: the folder's name)
    #[arg(long)]
    pub name: Option<String>,
}

pub fn run(args: Args, ctx: &Context) -> anyhow::Result<ExitStatus> {
    let dir = args
        .path
        .map(|d| ctx.dir.join(d))
        .unwrap_or_else(|| ctx.dir.clone());
    let name = match args.name {
        Some(n) => n,
        None => std::fs::canonicalize(&dir)
            .ok()
            .and_then(|d| d.file_name().map(|n| n.to_string_lossy().into_owned()))
            .unwrap_or_else(|| "commons".into()),
    };
    let commons = Commons::init(&dir, &name)?;
    ctx.printer.status(
        "Created",
        format!("commons \"{name}\" in {}", commons.root().display()),
    );
    Ok(ExitStatus::Success)
}
