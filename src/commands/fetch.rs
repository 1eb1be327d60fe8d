//! `commons fetch`: download a repository from the Hugging Face Hub into the
//! shared cache, verified, and commit a draft manifest of it.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use anyhow::Context as _;
use indicatif::{HumanBytes, MultiProgress, ProgressBar};
use serde::Serialize;

use crate::cli::{Context, ExitStatus};
use crate::hub::{self, FetchObserver, FetchRequest, Fetched, HubConfig, Origin, RepoKind};
use crate::manifest::{Kind, Manifest};
use crate::output::{DataFormat, Printer};

/// Download a model or dataset from the Hugging Face Hub, verify every file, draft its manifest
#[derive(Debug, clap::Args)]
#[command(
    long_about = "Download a model or dataset from the Hugging Face Hub at a revision pinned to its \
commit, into the standard Hugging Face cache (shared with `hf download`), verifying every file while it \
streams against the Hub's LFS sha256 or git blob id. An interrupted download resumes where it stopped. \
The result is a draft manifest, committed to the commons and unsigned until `commons sign`, seeded from \
the repo card's front matter.\n\n\
Environment: HF_ENDPOINT, HF_TOKEN (or HF_TOKEN_PATH, or $HF_HOME/token), HF_HOME, HF_HUB_CACHE, \
HF_HUB_OFFLINE."
)]
pub struct Args {
    /// The repository, ORG/NAME
    #[arg(value_name = "ORG/NAME")]
    pub repo: String,

    /// Branch, tag or commit to fetch; the manifest records the commit
    #[arg(long, value_name = "REV", default_value = "main")]
    pub revision: String,

    /// The repository is a dataset
    #[arg(long)]
    pub dataset: bool,

    /// Fetch only files matching these globs (`*` also matches `/`); README.md is always fetched
    #[arg(long, value_name = "GLOB", num_args = 1..)]
    pub include: Vec<String>,

    /// Leave out files matching these globs
    #[arg(long, value_name = "GLOB", num_args = 1..)]
    pub exclude: Vec<String>,

    /// Use only the local cache (as HF_HUB_OFFLINE=1 does)
    #[arg(long)]
    pub offline: bool,

    /// Replace the commons' manifest of this repository with the new draft
    #[arg(long, conflicts_with = "no_record")]
    pub force: bool,

    /// Download and verify only: draft no manifest
    #[arg(long)]
    pub no_record: bool,

    /// Output format of the result
    #[arg(long, value_enum, default_value = "human")]
    pub format: DataFormat,
}

pub fn run(args: Args, ctx: &Context) -> anyhow::Result<ExitStatus> {
    let kind = if args.dataset {
        Kind::Dataset
    } else {
        Kind::Model
    };
    crate::manifest::validate_id(&args.repo, kind).map_err(crate::Error::Usage)?;
    let commons = if args.no_record {
        None
    } else {
        Some(ctx.commons()?)
    };
    let mut config = HubConfig::from_env();
    config.offline |= args.offline;
    let request = FetchRequest {
        kind: if args.dataset {
            RepoKind::Dataset
        } else {
            RepoKind::Model
        },
        repo: args.repo.clone(),
        revision: args.revision.clone(),
        include: args.include.clone(),
        exclude: args.exclude.clone(),
    };
    let machine = args.format == DataFormat::Json;
    let progress = Arc::new(Progress::new(&ctx.printer, machine));
    let fetched = hub::fetch(&config, &request, progress.clone())
        .with_context(|| format!("could not fetch {} `{}`", kind, args.repo))?;
    progress.clear();

    let mut report = Report::new(&fetched);
    if let Some(commons) = &commons {
        let lookup = |kind: Kind, id: &str| {
            commons
                .load(id)
                .ok()
                .filter(|l| l.manifest.kind == kind)
                .map(|l| l.digest)
        };
        let draft = hub::draft::draft(&fetched, &lookup);
        for warning in &draft.warnings {
            ctx.printer.warn(warning);
        }
        report.record(
            commons,
            &draft.manifest,
            draft.warnings,
            args.force,
            &ctx.printer,
        )?;
    }
    match args.format {
        DataFormat::Json => crate::output::print_json(&report)?,
        DataFormat::Human => print!("{}", report.human()),
    }
    Ok(ExitStatus::Success)
}

/// The result, as printed.
#[derive(Serialize)]
struct Report {
    version: u32,
    kind: String,
    repo: String,
    endpoint: String,
    revision: String,
    commit: String,
    offline: bool,
    snapshot: String,
    files: Vec<FileReport>,
    bytes: u64,
    manifest: Option<String>,
    committed: bool,
    license: Option<String>,
    unresolved: Vec<String>,
    warnings: Vec<String>,
}

#[derive(Serialize)]
struct FileReport {
    path: String,
    size: u64,
    sha256: String,
    lfs: bool,
    origin: Origin,
}

impl Report {
    fn new(f: &Fetched) -> Report {
        Report {
            version: 1,
            kind: f.kind.singular().to_owned(),
            repo: f.repo.clone(),
            endpoint: f.endpoint.clone(),
            revision: f.revision.clone(),
            commit: f.commit.clone(),
            offline: f.offline,
            snapshot: f.snapshot.display().to_string(),
            files: f
                .files
                .iter()
                .map(|x| FileReport {
                    path: x.path.clone(),
                    size: x.size,
                    sha256: x.sha256.to_string(),
                    lfs: x.lfs,
                    origin: x.origin,
                })
                .collect(),
            bytes: f.files.iter().map(|x| x.size).sum(),
            manifest: None,
            committed: false,
            license: None,
            unresolved: Vec::new(),
            warnings: Vec::new(),
        }
    }

    /// Commits the draft unless the commons already has exactly it.
    fn record(
        &mut self,
        commons: &crate::commons::Commons,
        manifest: &Manifest,
        warnings: Vec<String>,
        force: bool,
        printer: &Printer,
    ) -> anyhow::Result<()> {
        let rel = manifest
            .relative_path()
            .to_string_lossy()
            .replace('\\', "/");
        let unchanged = commons
            .load(&manifest.id)
            .is_ok_and(|l| l.manifest == *manifest);
        if unchanged {
            printer.status("Unchanged", &rel);
        } else if commons.find_path(&manifest.id).is_some() && !force {
            anyhow::bail!(
                "{rel} already records `{}` and differs from the new draft (the files are fetched and verified); \
                 pass --force to replace it with the draft",
                manifest.id
            );
        } else {
            let message = format!(
                "Draft {} {} from the Hub at {}",
                manifest.kind,
                manifest.id,
                &self.commit[..12.min(self.commit.len())]
            );
            commons.write_manifest(manifest, &message)?;
            printer.status(
                "Committed",
                format!("{rel} (draft, unsigned: review it, then `commons sign`)"),
            );
            self.committed = true;
        }
        self.manifest = Some(rel);
        self.license = manifest.license.as_ref().map(|l| l.expression.clone());
        self.unresolved = manifest
            .model
            .as_ref()
            .map(|m| m.unresolved.clone())
            .unwrap_or_default();
        self.warnings = warnings;
        Ok(())
    }

    fn human(&self) -> String {
        let count = |o: fn(&Origin) -> bool| self.files.iter().filter(|f| o(&f.origin)).count();
        let downloaded = count(|o| matches!(o, Origin::Downloaded));
        let resumed = count(|o| matches!(o, Origin::Resumed { .. }));
        let cached = count(|o| matches!(o, Origin::Cached));
        let mut out = format!("{} {}\n", self.kind, self.repo);
        let mut line = |key: &str, value: String| out.push_str(&format!("  {key:<10} {value}\n"));
        line("revision", format!("{} = {}", self.revision, self.commit));
        line(
            "files",
            format!(
                "{} ({}), all verified: {downloaded} downloaded, {resumed} resumed, {cached} from the cache",
                self.files.len(),
                HumanBytes(self.bytes)
            ),
        );
        line("snapshot", self.snapshot.clone());
        if let Some(manifest) = &self.manifest {
            line("manifest", manifest.clone());
            line(
                "license",
                self.license
                    .clone()
                    .unwrap_or_else(|| "none (see warnings)".into()),
            );
            line(
                "unresolved",
                format!("{} reference(s) not in this commons", self.unresolved.len()),
            );
        }
        out
    }
}

/// Progress bars (total, and one per file in flight) when stderr is a
/// terminal; otherwise only retry notices, as status lines.
struct Progress {
    printer: Printer,
    bars: Option<Bars>,
}

struct Bars {
    multi: MultiProgress,
    total: ProgressBar,
    files: Mutex<HashMap<String, ProgressBar>>,
}

impl Progress {
    fn new(printer: &Printer, machine: bool) -> Progress {
        let bars = printer.progress_enabled(machine).then(|| {
            let multi = MultiProgress::new();
            let total = multi.add(printer.progress(0, true, machine));
            Bars {
                multi,
                total,
                files: Mutex::new(HashMap::new()),
            }
        });
        Progress {
            printer: printer.clone(),
            bars,
        }
    }

    fn clear(&self) {
        if let Some(bars) = &self.bars {
            bars.total.finish_and_clear();
        }
    }

    fn file(&self, path: &str, f: impl FnOnce(&ProgressBar)) {
        if let Some(bars) = &self.bars
            && let Some(bar) = bars.files.lock().expect("progress lock").get(path)
        {
            f(bar);
        }
    }
}

impl FetchObserver for Progress {
    fn planned(&self, files: usize, bytes: u64) {
        if let Some(bars) = &self.bars {
            bars.total.set_length(bytes);
            bars.total.set_message(format!("{files} files"));
        }
    }

    fn file_started(&self, path: &str, size: u64) {
        if let Some(bars) = &self.bars {
            let bar = bars.multi.add(self.printer.progress(size, true, false));
            bar.set_message(path.to_owned());
            bars.files
                .lock()
                .expect("progress lock")
                .insert(path.to_owned(), bar);
        }
    }

    fn advanced(&self, path: &str, bytes: u64) {
        if let Some(bars) = &self.bars {
            bars.total.inc(bytes);
        }
        self.file(path, |bar| bar.inc(bytes));
    }

    fn rewound(&self, path: &str, bytes: u64) {
        if let Some(bars) = &self.bars {
            bars.total
                .set_position(bars.total.position().saturating_sub(bytes));
        }
        self.file(path, |bar| {
            bar.set_position(bar.position().saturating_sub(bytes))
        });
    }

    fn retrying(&self, path: &str, attempt: u32, reason: &str) {
        let line = format!("{path} (attempt {attempt} failed: {reason})");
        match &self.bars {
            Some(bars) => {
                let _ = bars.multi.println(format!("{:>12} {line}", "Retrying"));
            }
            None => self.printer.status("Retrying", line),
        }
    }

    fn waiting(&self, path: &str) {
        self.file(path, |bar| {
            bar.set_message(format!("{path} (waiting for another download of it)"))
        });
    }

    fn file_finished(&self, path: &str, _origin: Origin) {
        if let Some(bars) = &self.bars
            && let Some(bar) = bars.files.lock().expect("progress lock").remove(path)
        {
            bar.finish_and_clear();
            bars.multi.remove(&bar);
        }
    }
}
