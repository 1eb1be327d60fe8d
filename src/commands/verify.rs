//! `commons verify`: signatures, trust, quorum, lineage digests, files.

use std::path::PathBuf;

use crate::cli::{Context, ExitStatus};
use crate::output::{ReportFormat, print_report};
use crate::verify::{RULES, VerifyOptions, verify_with_progress};

/// Check signatures, trust, quorum, lineage digests and files on disk
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Manifest ids or paths (default: every manifest)
    pub targets: Vec<String>,
    /// Folder holding the files of the manifest(s) named
    #[arg(long, value_name = "DIR")]
    pub files: Option<PathBuf>,
    /// Do not check files, only the records
    #[arg(long, conflicts_with = "files")]
    pub no_files: bool,
    /// The sha256 of governance version 1 you trust (obtained out of band);
    /// overrides the root this clone pinned on first use
    #[arg(long, value_name = "SHA256", env = "COMMONS_ROOT")]
    pub root: Option<crate::digest::Sha256Hex>,
    /// Warnings fail the run too
    #[arg(long)]
    pub strict: bool,
    /// Output: human text, JSON, SARIF 2.1.0 or GitLab's code-quality report
    #[arg(long, value_enum, default_value = "human")]
    pub format: ReportFormat,
    #[command(flatten)]
    pub levels: super::levels::LevelArgs,
}

pub fn run(args: Args, ctx: &Context) -> anyhow::Result<ExitStatus> {
    let commons = ctx.commons()?;
    let opts = VerifyOptions {
        targets: args.targets,
        files: args.files.map(|f| ctx.dir.join(f)),
        no_files: args.no_files,
        root: args.root,
    };
    if let Some(dir) = &opts.files {
        anyhow::ensure!(dir.is_dir(), "--files {}: not a folder", dir.display());
    }
    let bar = ctx
        .printer
        .progress(0, true, args.format != ReportFormat::Human);
    bar.set_message("hashing");
    let mut report =
        verify_with_progress(&commons, &opts, &crate::output::BarProgress(bar.clone()))?;
    bar.finish_and_clear();
    args.levels.apply(&mut report, &commons.config.policy);
    print_report(&report, args.format, "verify", RULES)?;
    Ok(if report.fails(args.strict) {
        ExitStatus::Findings
    } else {
        ExitStatus::Success
    })
}
