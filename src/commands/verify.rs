//! `commons verify`: signatures, trust, quorum, lineage digests, files.

use std::collections::BTreeMap;
use std::path::PathBuf;

use crate::cli::{Context, ExitStatus};
use crate::output::{ReportFormat, print_report};
use crate::rule::Tool;
use crate::verify::{VerifyOptions, verify_with_progress};

/// Check signatures, trust, quorum, lineage digests and files on disk
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Manifest ids or paths (default: every manifest)
    pub targets: Vec<String>,
    /// Folder holding the files of the manifest named (DIR), or of one of
    /// several (ID=DIR, once per id)
    #[arg(long, value_name = "DIR|ID=DIR")]
    pub files: Vec<String>,
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

/// The folders of `--files`: one DIR for the manifest named, and ID=DIR
/// for one of several.
fn folders(
    given: &[String],
    targets: &[String],
    ctx: &Context,
) -> anyhow::Result<(Option<PathBuf>, BTreeMap<String, PathBuf>)> {
    let mut plain = None;
    let mut by_id = BTreeMap::new();
    for value in given {
        let whole = ctx.dir.join(value);
        let split = value.split_once('=').filter(|_| !whole.is_dir());
        let dir = match split {
            Some((id, dir)) => {
                let dir = ctx.dir.join(dir);
                anyhow::ensure!(
                    by_id.insert(id.to_owned(), dir.clone()).is_none(),
                    "--files {value}: a second folder for `{id}`"
                );
                dir
            }
            None => {
                anyhow::ensure!(
                    plain.is_none(),
                    "--files {value}: a second folder without an id; give each as --files ID=DIR"
                );
                anyhow::ensure!(
                    targets.len() <= 1,
                    "--files {value}: one folder for {} manifests; give each its own as --files ID=DIR",
                    targets.len()
                );
                plain = Some(whole.clone());
                whole
            }
        };
        anyhow::ensure!(
            dir.is_dir(),
            "--files {value}: {} is not a folder",
            dir.display()
        );
    }
    Ok((plain, by_id))
}

pub fn run(args: Args, ctx: &Context) -> anyhow::Result<ExitStatus> {
    let commons = ctx.commons()?;
    let (files, files_by_id) = folders(&args.files, &args.targets, ctx)?;
    let opts = VerifyOptions {
        targets: args.targets,
        files,
        files_by_id,
        no_files: args.no_files,
        root: args.root,
    };
    let bar = ctx
        .printer
        .progress(0, true, args.format != ReportFormat::Human);
    bar.set_message("hashing");
    let mut report =
        verify_with_progress(&commons, &opts, &crate::output::BarProgress(bar.clone()))?;
    bar.finish_and_clear();
    args.levels.apply(&mut report, &commons.config.policy);
    ctx.printer
        .examined(&report.examined, args.format != ReportFormat::Human);
    print_report(&report, args.format, Tool::Verify)?;
    Ok(if report.fails(args.strict) {
        ExitStatus::Findings
    } else {
        ExitStatus::Success
    })
}
