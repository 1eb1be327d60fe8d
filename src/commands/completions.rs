//! `commons completions`: shell completion scripts.

use clap::CommandFactory;

use crate::cli::{Cli, Context, ExitStatus};

/// Print the completion script for a shell
#[derive(Debug, clap::Args)]
pub struct Args {
    pub shell: clap_complete::Shell,
}

pub fn run(args: Args, _ctx: &Context) -> anyhow::Result<ExitStatus> {
    let mut cmd = Cli::command();
    clap_complete::generate(args.shell, &mut cmd, "commons", &mut std::io::stdout());
    Ok(ExitStatus::Success)
}
