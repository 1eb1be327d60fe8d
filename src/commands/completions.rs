//! `commons completions`: shell completion scripts.

use clap::CommandFactory;

use crate::cli::{Cli, Context, ExitStatus};

/// Print the completion script for a shell
#[derive(Debug, clap::Args)]
#[command(after_help = "Install:\n  \
bash:       commons completions bash > ~/.local/share/bash-completion/completions/commons\n  \
zsh:        commons completions zsh > ~/.zfunc/_commons   (with fpath+=~/.zfunc before compinit in ~/.zshrc)\n  \
fish:       commons completions fish > ~/.config/fish/completions/commons.fish\n  \
elvish:     commons completions elvish >> ~/.config/elvish/rc.elv\n  \
powershell: commons completions powershell >> $PROFILE\n\n\
The same scripts are kept generated in the repository's completions/ folder.")]
pub struct Args {
    /// bash, zsh, fish, elvish or powershell
    pub shell: clap_complete::Shell,
}

pub fn run(args: Args, _ctx: &Context) -> anyhow::Result<ExitStatus> {
    let mut cmd = Cli::command();
    clap_complete::generate(args.shell, &mut cmd, "commons", &mut std::io::stdout());
    Ok(ExitStatus::Success)
}
