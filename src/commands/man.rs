//! `commons man`: man pages, one per command.

use std::path::PathBuf;

use clap::CommandFactory;

use crate::cli::{Cli, Context, ExitStatus};

/// Print the man page, or write every command's page into a folder
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Write commons.1 and commons-<verb>.1 pages into DIR
    #[arg(long = "dir", value_name = "DIR")]
    pub out: Option<PathBuf>,
}

pub fn run(args: Args, ctx: &Context) -> anyhow::Result<ExitStatus> {
    let cmd = Cli::command();
    match args.out {
        Some(dir) => {
            let dir = ctx.dir.join(dir);
            std::fs::create_dir_all(&dir)?;
            clap_mangen::generate_to(cmd, &dir)?;
            ctx.printer
                .status("Wrote", format!("man pages to {}", dir.display()));
        }
        None => clap_mangen::Man::new(cmd).render(&mut std::io::stdout())?,
    }
    Ok(ExitStatus::Success)
}
