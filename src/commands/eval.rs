//! `commons eval`: evaluate a model locally and record the result as an eval
//! manifest; `eval merge` joins the shards of an evaluation; `eval list` and
//! `eval show` compare recorded results.

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Instant;

use anyhow::{Context as _, bail};
use indicatif::ProgressBar;

use super::signer::Signer;
use crate::cli::{Context, ExitStatus};
use crate::commands::ModelSubject;
use crate::commons::{Change, Commons, Loaded};
use crate::eval::run::{Provenance, data_path};
use crate::eval::samples::Sample;
use crate::eval::task::TASK_NAMES;
use crate::eval::{
    Cancel, Evaluation, FewShot, Observer, Outcome, Settings, ShardRequest, ShardSpec, Task,
};
use crate::manifest::{Kind, Manifest, Metric, Reference, SamplesFile};
use crate::model::{CausalLm, Encoder};
use crate::output::{DataFormat, print_json, table};

/// Evaluate a model locally and record the result in the commons
#[derive(Debug, clap::Args)]
#[command(
    args_conflicts_with_subcommands = true,
    subcommand_negates_reqs = true,
    after_help = "Tasks: perplexity (lm-evaluation-harness rolling windows; --chunked for llama.cpp's chunks), \
hellaswag, arc-easy, arc-challenge, piqa, winogrande, lambada, choice (JSONL {context, choices, gold}), \
sts (sentence encoders).\n\nMODEL is a model id of the commons (its files are verified against the manifest \
before loading; the result is recorded as an eval manifest and committed) or a path to a model file or folder \
(the result is only printed)."
)]
pub struct Args {
    #[command(subcommand)]
    pub command: Option<EvalCommand>,
    #[command(flatten)]
    pub run: RunArgs,
}

#[derive(Debug, clap::Subcommand)]
pub enum EvalCommand {
    /// Merge the manifests of the shards of one evaluation into its result
    Merge(MergeArgs),
    /// Compare recorded results across models: one row per model, one column per metric
    Show(ShowArgs),
    /// List recorded evaluations
    List(ListArgs),
    /// Compare two results of one task item by item: what changed, and
    /// whether the difference is significant
    Diff(DiffArgs),
}

#[derive(Debug, clap::Args)]
#[command(
    after_help = "Both results must have been recorded with --log-samples. Items are paired by their \
place in the data and must be the same items. Accuracies are compared with McNemar's exact test on the items \
one result gets right and the other wrong; every metric gets a paired bootstrap (items resampled with \
replacement, seeded) for its 95% interval, which is also the test for metrics without an exact one."
)]
pub struct DiffArgs {
    /// The result compared against (an eval manifest's id or path).
    #[arg(value_name = "A")]
    pub a: String,
    /// The result compared with A.
    #[arg(value_name = "B")]
    pub b: String,

    /// Bootstrap resamples.
    #[arg(long, value_name = "N", default_value_t = 1000, value_parser = clap::value_parser!(u32).range(1..=1_000_000))]
    pub iterations: u32,

    /// Seed of the bootstrap's resampling.
    #[arg(long, value_name = "N", default_value_t = 1234)]
    pub seed: u64,

    /// Significance level.
    #[arg(long, value_name = "P", default_value_t = 0.05)]
    pub alpha: f64,

    /// Items listed per metric in human output (JSON lists all).
    #[arg(long, value_name = "N", default_value_t = 20)]
    pub show_items: usize,

    /// Output: human text, or JSON for scripts
    #[arg(long, value_enum, default_value = "human")]
    pub format: DataFormat,
}

#[derive(Debug, clap::Args)]
pub struct RunArgs {
    /// Model id in the commons, or a path to a GGUF file or model folder.
    #[arg(value_name = "MODEL", required = true)]
    pub model: Option<String>,

    /// What to evaluate.
    #[arg(long, value_name = "TASK", required = true, value_parser = clap::builder::PossibleValuesParser::new(TASK_NAMES))]
    pub task: Option<String>,

    /// Perplexity the llama.cpp way: chunks of --ctx tokens, second half scored.
    #[arg(long)]
    pub chunked: bool,

    /// The task's data file, or a folder laid out like the shared data
    /// (wikitext2/, hellaswag/, arc_easy/, piqa/, lambada/, stsb/).
    #[arg(long, value_name = "FILE|DIR", env = "COMMONS_DATA")]
    pub data: Option<PathBuf>,

    /// Evaluate only the first N items (documents, chunks, questions or pairs).
    #[arg(long, value_name = "N")]
    pub limit: Option<usize>,

    /// With --limit N: evaluate N items drawn with this seed instead of the
    /// first N, the items (0-based) that Python names with
    /// `sorted(random.Random(S).sample(range(TOTAL), N))`.
    #[arg(long, value_name = "S", requires = "limit")]
    pub limit_seed: Option<u64>,

    /// Put K solved examples before each item, drawn from the same data as
    /// lm-evaluation-harness draws them (multiple-choice tasks and lambada).
    #[arg(long, value_name = "K", default_value_t = 0)]
    pub num_fewshot: usize,

    /// The seed that draws the few-shot examples (lm-evaluation-harness's
    /// default).
    #[arg(long, value_name = "S", default_value_t = crate::eval::fewshot::DEFAULT_SEED)]
    pub fewshot_seed: u64,

    /// Chunk length for --chunked (default 512); window or maximum sequence
    /// length otherwise (default: the model's context).
    #[arg(short = 'c', long, visible_alias = "ctx-size", value_name = "N")]
    pub ctx: Option<usize>,

    /// Evaluate only shard K of N (contiguous slices; `eval merge` joins
    /// them). `auto` (or `auto/N`) takes K, and N, from a job array:
    /// $SLURM_ARRAY_TASK_ID and $SLURM_ARRAY_TASK_COUNT, or a Kubernetes
    /// Indexed Job's $JOB_COMPLETION_INDEX with $COMMONS_SHARD_COUNT.
    #[arg(long, value_name = "K/N|auto")]
    pub shard: Option<ShardRequest>,

    /// Folder holding the model's files (default: the Hugging Face cache).
    #[arg(long, value_name = "DIR")]
    pub files: Option<PathBuf>,

    /// Print the result without recording it in the commons.
    #[arg(long)]
    pub no_record: bool,

    /// Keep every item's score: the hashes of the document and the prompt,
    /// the target, each choice's log-likelihood and the prediction (JSON
    /// Lines, zstd). A recorded result keeps them beside its manifest,
    /// bound to it by sha256, for `verify` and `eval diff`; a result that
    /// is not recorded writes them to FILE.
    #[arg(long, value_name = "FILE", num_args = 0..=1)]
    pub log_samples: Option<Option<PathBuf>>,

    #[command(flatten)]
    pub threads: super::ThreadArgs,

    #[command(flatten)]
    pub signing: SignArgs,

    /// Output: human text, or JSON for scripts
    #[arg(long, value_enum, default_value = "human")]
    pub format: DataFormat,
}

#[derive(Debug, clap::Args)]
pub struct MergeArgs {
    /// The shard manifests (ids or paths), all of them.
    #[arg(value_name = "SHARD", required = true, num_args = 1..)]
    pub shards: Vec<String>,

    /// Print the merged result without recording it.
    #[arg(long)]
    pub no_record: bool,

    /// Accept shards that fewer members signed than the commons' quorum
    /// (signatures they carry must still verify).
    #[arg(long)]
    pub allow_unsigned: bool,

    #[command(flatten)]
    pub signing: SignArgs,

    /// Output: human text, or JSON for scripts
    #[arg(long, value_enum, default_value = "human")]
    pub format: DataFormat,
}

/// Signing a result as it is recorded.
#[derive(Debug, clap::Args)]
pub struct SignArgs {
    /// Sign the result as it is recorded, and the snapshot with it, in the
    /// same commit (as `commons sign` does)
    #[arg(long, conflicts_with = "no_record")]
    pub sign: bool,
    /// The member signing with --sign (default: $COMMONS_MEMBER, else the
    /// only member with a secret key here)
    #[arg(long = "as", value_name = "NAME", env = "COMMONS_MEMBER")]
    pub member: Option<String>,
    /// Secret key file for --sign (default: the member's key in the user's
    /// config folder)
    #[arg(long, value_name = "PATH")]
    pub secret_key: Option<PathBuf>,
}

impl SignArgs {
    /// The member's key when --sign is given, unlocked before any work.
    fn signer(&self, commons: &Commons, ctx: &Context) -> anyhow::Result<Option<Signer>> {
        if !self.sign {
            return Ok(None);
        }
        Signer::of_member(
            commons,
            self.member.as_deref(),
            self.secret_key.clone(),
            &ctx.dir,
        )
        .map(Some)
    }
}

#[derive(Debug, clap::Args)]
pub struct ShowArgs {
    /// Only these models (ids); default: every model with a recorded result.
    #[arg(value_name = "MODEL")]
    pub models: Vec<String>,

    /// Only this task.
    #[arg(long, value_name = "TASK")]
    pub task: Option<String>,

    /// Output: human text, or JSON for scripts
    #[arg(long, value_enum, default_value = "human")]
    pub format: DataFormat,
}

#[derive(Debug, clap::Args)]
pub struct ListArgs {
    /// Only results of this model.
    #[arg(long, value_name = "MODEL")]
    pub model: Option<String>,

    /// Only this task.
    #[arg(long, value_name = "TASK")]
    pub task: Option<String>,

    /// Output: human text, or JSON for scripts
    #[arg(long, value_enum, default_value = "human")]
    pub format: DataFormat,
}

pub fn run(args: Args, ctx: &Context) -> anyhow::Result<ExitStatus> {
    match args.command {
        Some(EvalCommand::Merge(a)) => merge(a, ctx),
        Some(EvalCommand::Show(a)) => show(a, ctx),
        Some(EvalCommand::List(a)) => list(a, ctx),
        Some(EvalCommand::Diff(a)) => diff(a, ctx),
        None => evaluate(args.run, ctx),
    }
}

fn evaluate(args: RunArgs, ctx: &Context) -> anyhow::Result<ExitStatus> {
    args.threads.apply();
    let model_arg = args.model.as_deref().expect("required by clap");
    let task = Task::parse(
        args.task.as_deref().expect("required by clap"),
        args.chunked,
    )?;
    let data = data_path(task, args.data.as_deref(), None)?;
    let settings = Settings {
        task,
        data,
        limit: args.limit,
        limit_seed: args.limit_seed,
        fewshot: FewShot {
            shots: args.num_fewshot,
            seed: args.fewshot_seed,
        },
        ctx: args.ctx,
        shard: match args.shard {
            Some(request) => request.resolve(|name| std::env::var(name).ok())?,
            None => ShardSpec::WHOLE,
        },
    };
    let evaluation = Evaluation::prepare(settings)?;
    let subject = ModelSubject::resolve(model_arg, args.files.as_deref(), ctx)?;
    let mut signer = None;
    if let Some((commons, model)) = subject.record.as_ref().filter(|_| !args.no_record) {
        commons.require_committed(model)?;
        signer = args.signing.signer(commons, ctx)?;
    }
    if args.signing.sign && signer.is_none() {
        bail!("--sign signs a recorded result: MODEL must be a model id of the commons");
    }
    let will_record = subject.record.is_some() && !args.no_record;
    let samples = SamplesLog::of(args.log_samples.as_ref().map(Option::as_deref), will_record)?;
    let json = args.format == DataFormat::Json;

    let cancel = Arc::new(Cancel::new());
    let handler = Arc::clone(&cancel);
    ctrlc::set_handler(move || handler.cancel()).context("installing the Ctrl-C handler")?;

    let started = Instant::now();
    let mut progress = ProgressObserver {
        bar: ProgressBar::hidden(),
        printer: ctx.printer.clone(),
        json,
    };
    if task.needs_encoder() && subject.path.extension().is_some_and(|e| e == "gguf") {
        bail!(
            "`{task}` needs a sentence encoder (a BERT-family model folder), not the language model {}",
            subject.path.display()
        );
    }
    let (outcome, engine) = if task.needs_encoder() {
        let mut encoder = Encoder::load(&subject.path)?;
        let engine = encoder.describe().engine;
        loaded(ctx, &subject.path, started);
        (
            evaluation.run_encoder(&mut encoder, &mut progress, &cancel),
            engine,
        )
    } else {
        let mut model = CausalLm::load(&subject.path)?;
        let engine = model.describe().engine;
        loaded(ctx, &subject.path, started);
        (
            evaluation.run_language_model(&mut model, &mut progress, &cancel),
            engine,
        )
    };
    progress.bar.finish_and_clear();
    let outcome = outcome?;
    let duration = started.elapsed().as_secs_f64();

    let Some((commons, model)) = subject.record.filter(|_| !args.no_record) else {
        not_recorded(ctx, model_arg, args.no_record);
        let written = match samples {
            SamplesLog::To(path) => Some(write_samples(ctx, &path, &outcome.samples)?),
            _ => None,
        };
        return print_outcome(&outcome, None, written.as_ref(), duration, args.format);
    };
    let provenance = Provenance {
        model: Reference {
            id: model.manifest.id.clone(),
            digest: Some(model.digest.clone()),
        },
        engine: "commons".into(),
        engine_version: engine,
        date: now(),
        duration_seconds: duration,
    };
    let mut manifest = outcome.to_manifest(&provenance);
    let samples =
        (samples == SamplesLog::Beside).then(|| attach_samples(&mut manifest, &outcome.samples));
    let message = format!(
        "Record eval {} of {}: {}",
        task,
        model.manifest.id,
        headline(&outcome.metrics)
    );
    let path = commit_result(&commons, &manifest, samples, &[], signer.as_ref(), &message)?;
    recorded_status(ctx, &manifest, &path, signer.as_ref());
    let samples = manifest.eval.as_ref().and_then(|e| e.samples.clone());
    print_outcome(
        &outcome,
        Some(&manifest),
        samples.as_ref(),
        duration,
        args.format,
    )
}

/// Where `--log-samples` puts the samples.
#[derive(Debug, PartialEq, Eq)]
enum SamplesLog {
    No,
    /// Beside the recorded manifest, in the same commit.
    Beside,
    /// In this file (the result is not recorded).
    To(PathBuf),
}

impl SamplesLog {
    fn of(flag: Option<Option<&Path>>, recording: bool) -> anyhow::Result<SamplesLog> {
        match flag {
            None => Ok(SamplesLog::No),
            Some(None) if recording => Ok(SamplesLog::Beside),
            Some(None) => bail!(
                "--log-samples: the result is not recorded, so name the file to write the samples to (--log-samples FILE)"
            ),
            Some(Some(p)) if recording => bail!(
                "--log-samples {}: a recorded result keeps its samples beside its manifest; drop FILE (or pass --no-record to write them there)",
                p.display()
            ),
            // Checked before the evaluation runs, not after.
            Some(Some(p)) if p.file_name().is_none() => bail!(
                "--log-samples {}: name a file to write the samples to",
                p.display()
            ),
            Some(Some(p)) => Ok(SamplesLog::To(p.to_path_buf())),
        }
    }
}

/// Encodes the samples and names them in the eval manifest; returns the
/// file's bytes.
fn attach_samples(manifest: &mut Manifest, samples: &[Sample]) -> Vec<u8> {
    let name = crate::eval::samples::file_name(&manifest.relative_path());
    let (bytes, file) = encode_samples(name, samples);
    if let Some(eval) = manifest.eval.as_mut() {
        eval.samples = Some(file);
    }
    bytes
}

/// The bytes of a samples file and its description under `name`.
fn encode_samples(name: String, samples: &[Sample]) -> (Vec<u8>, SamplesFile) {
    let bytes = crate::eval::samples::encode(samples);
    let file = SamplesFile {
        file: name,
        sha256: crate::digest::Sha256Hex::of_bytes(&bytes),
        items: samples.len() as u64,
    };
    (bytes, file)
}

/// Writes the samples of a result that is not recorded, atomically.
fn write_samples(ctx: &Context, path: &Path, samples: &[Sample]) -> anyhow::Result<SamplesFile> {
    let (bytes, file) = encode_samples(path.display().to_string(), samples);
    let absolute = std::path::absolute(path)
        .with_context(|| format!("{}: cannot write the samples here", path.display()))?;
    crate::commons::atomic_write(&absolute, &bytes)?;
    ctx.printer.status(
        "Wrote",
        format!("{} samples to {}", samples.len(), path.display()),
    );
    Ok(file)
}

/// Says on stderr why a result is only printed.
fn not_recorded(ctx: &Context, model: &str, asked: bool) {
    if asked {
        ctx.printer
            .status("Not recorded", "the result (--no-record)");
    } else {
        ctx.printer.warn(format!(
            "the result is not recorded: `{model}` is a path, not a model id of the commons \
             (record the model with `commons record model`, then evaluate it by its id)"
        ));
    }
}

fn loaded(ctx: &Context, path: &Path, started: Instant) {
    ctx.printer.status(
        "Loaded",
        format!(
            "{} in {:.2}s",
            path.display(),
            started.elapsed().as_secs_f64()
        ),
    );
}

/// The progress bar: items done, ETA and the running metric.
struct ProgressObserver {
    bar: ProgressBar,
    printer: crate::output::Printer,
    json: bool,
}

impl Observer for ProgressObserver {
    fn start(&mut self, items: u64) {
        self.bar = self.printer.progress(items, false, self.json);
    }

    fn advance(&mut self, done: u64, metric: &str, value: f64) {
        self.bar.set_position(done);
        self.bar.set_message(format!("{metric} {value:.4}"));
    }
}

fn now() -> String {
    time::OffsetDateTime::now_utc()
        .replace_nanosecond(0)
        .ok()
        .and_then(|t| {
            t.format(&time::format_description::well_known::Rfc3339)
                .ok()
        })
        .unwrap_or_default()
}

fn headline(metrics: &std::collections::BTreeMap<String, Metric>) -> String {
    metrics
        .iter()
        .map(|(name, m)| format!("{name} {}", fmt_value(m.value)))
        .collect::<Vec<_>>()
        .join(", ")
}

fn fmt_value(v: f64) -> String {
    if v.abs() >= 100.0 {
        format!("{v:.2}")
    } else {
        format!("{v:.4}")
    }
}

fn fmt_metric(m: &Metric) -> String {
    match m.stderr {
        Some(e) => format!("{} ± {}", fmt_value(m.value), fmt_value(e)),
        None => fmt_value(m.value),
    }
}

fn print_outcome(
    outcome: &Outcome,
    manifest: Option<&Manifest>,
    samples: Option<&SamplesFile>,
    duration: f64,
    format: DataFormat,
) -> anyhow::Result<ExitStatus> {
    let shard = (outcome.shard.count > 1).then(|| outcome.shard.to_string());
    match format {
        DataFormat::Json => print_json(&serde_json::json!({
            "id": manifest.map(|m| m.id.clone()),
            "task": outcome.task.name(),
            "metrics": outcome.metrics,
            "items": outcome.items,
            "data_items": outcome.data_items,
            "shard": shard,
            "config": outcome.config,
            "data_sha256": outcome.data_sha256,
            "samples": samples,
            "duration_seconds": duration,
        }))?,
        DataFormat::Human => {
            let mut t = table(&["metric", "value", "stderr"]);
            for (name, m) in &outcome.metrics {
                t.add_row(vec![
                    name.clone(),
                    fmt_value(m.value),
                    m.stderr.map(fmt_value).unwrap_or_default(),
                ]);
            }
            let shard = shard.map(|s| format!(", shard {s}")).unwrap_or_default();
            println!("{} on {} items{shard}", outcome.task, outcome.items);
            println!("{t}");
        }
    }
    Ok(ExitStatus::Success)
}

fn merge(args: MergeArgs, ctx: &Context) -> anyhow::Result<ExitStatus> {
    let commons = ctx.commons()?;
    let shards = args
        .shards
        .iter()
        .map(|s| commons.load(s))
        .collect::<crate::Result<Vec<Loaded>>>()?;
    let digested: Vec<(Manifest, crate::digest::Sha256Hex)> = shards
        .iter()
        .map(|l| (l.manifest.clone(), l.digest.clone()))
        .collect();
    let mut merged = crate::eval::merge::fold(&digested)?;
    for shard in &shards {
        accepted(&commons, shard, args.allow_unsigned)?;
    }
    let samples = merged_samples(ctx, &shards)?.map(|s| attach_samples(&mut merged, &s));
    let eval = merged.eval.as_ref().expect("merge makes an eval manifest");
    if !args.no_record {
        // The merged record names the shards by digest; the history must
        // hold those versions once they are folded away.
        for shard in &shards {
            commons.require_committed(shard)?;
        }
        let signer = args.signing.signer(&commons, ctx)?;
        let message = format!(
            "Merge {} shards of eval {} of {}: {}",
            shards.len(),
            eval.task,
            eval.model.id,
            headline(&eval.metrics)
        );
        let path = commit_result(
            &commons,
            &merged,
            samples,
            &shards,
            signer.as_ref(),
            &message,
        )?;
        recorded_status(ctx, &merged, &path, signer.as_ref());
        ctx.printer.status(
            "Folded",
            format!(
                "{} shard manifests into it (kept in git history, named in eval.merged_from)",
                shards.len()
            ),
        );
        if signer.is_none() && snapshot_lists(&commons, &shards) {
            ctx.printer.warn(format!(
                "the signed snapshot lists the shards folded away: until a member signs (`commons sign {}`), verify reports them deleted",
                merged.id
            ));
        }
    }
    match args.format {
        DataFormat::Json => print_json(&merged)?,
        DataFormat::Human => {
            let mut t = table(&["metric", "value", "stderr"]);
            for (name, m) in &eval.metrics {
                t.add_row(vec![
                    name.clone(),
                    fmt_value(m.value),
                    m.stderr.map(fmt_value).unwrap_or_default(),
                ]);
            }
            println!(
                "{} on {} items, merged from {} shards",
                eval.task,
                eval.items.unwrap_or(0),
                shards.len()
            );
            println!("{t}");
        }
    }
    Ok(ExitStatus::Success)
}

/// The samples of all the shards, in shard order, when every shard logged
/// them; each shard's are checked against its digest and its tally.
fn merged_samples(ctx: &Context, shards: &[Loaded]) -> anyhow::Result<Option<Vec<Sample>>> {
    let logged: Vec<(u32, &Loaded, &SamplesFile)> = shards
        .iter()
        .filter_map(|l| {
            let eval = l.manifest.eval.as_ref()?;
            Some((eval.shard.map_or(0, |s| s.index), l, eval.samples.as_ref()?))
        })
        .collect();
    if logged.len() < shards.len() {
        if !logged.is_empty() {
            ctx.printer.warn(format!(
                "{} of the {} shards logged per-item samples: the merged result has none (run every shard with --log-samples to keep them)",
                logged.len(),
                shards.len()
            ));
        }
        return Ok(None);
    }
    let mut logged = logged;
    logged.sort_by_key(|(index, ..)| *index);
    let mut all = Vec::new();
    for (_, shard, file) in logged {
        let eval = shard.manifest.eval.as_ref().expect("filtered");
        let samples = crate::eval::samples::audited(&shard.path, &shard.manifest.id, eval, file)
            .map_err(|u| anyhow::anyhow!("shards do not merge: {u}"))?;
        all.extend(samples);
    }
    Ok(Some(all))
}

/// Refuses a shard whose signatures do not verify, or that fewer members
/// signed than the quorum (unless `allow_unsigned`).
fn accepted(commons: &Commons, shard: &Loaded, allow_unsigned: bool) -> anyhow::Result<()> {
    let refusals: Vec<String> = crate::verify::signature_findings(commons, shard)?
        .into_iter()
        .filter(|f| !(allow_unsigned && f.rule == crate::rule::Rule::QuorumNotMet))
        .map(|f| format!("{} ({}): {}", f.rule, f.file.unwrap_or_default(), f.message))
        .collect();
    if refusals.is_empty() {
        return Ok(());
    }
    let what = shard
        .manifest
        .eval
        .as_ref()
        .and_then(|e| e.shard)
        .map(|s| format!("shard {}/{} ", s.index, s.count))
        .unwrap_or_default();
    bail!(
        "shards do not merge: {what}`{}` is not accepted by this commons: {}\n\
         have members sign it (`commons sign {}`){}",
        shard.manifest.id,
        refusals.join("; "),
        shard.manifest.id,
        if refusals.iter().all(|r| r.starts_with("quorum-not-met")) {
            ", or pass --allow-unsigned to merge shards below the quorum"
        } else {
            ", or remove the signature files that do not verify"
        }
    )
}

/// Commits an evaluation result: its manifest, the shard manifests it folds
/// away (with their signatures) and, when `signer` is given, its signature
/// and a fresh snapshot, all in one commit.
fn commit_result(
    commons: &Commons,
    manifest: &Manifest,
    samples: Option<Vec<u8>>,
    folded: &[Loaded],
    signer: Option<&Signer>,
    message: &str,
) -> anyhow::Result<PathBuf> {
    let path = manifest.relative_path();
    manifest.validate(&path)?;
    let rel = path.to_string_lossy().replace('\\', "/");
    let bytes = manifest.to_yaml();
    let mut changes = vec![Change::new(rel.clone(), bytes.clone())];
    if let (Some(samples), Some(file)) = (
        samples,
        manifest.eval.as_ref().and_then(|e| e.samples.as_ref()),
    ) {
        let beside = crate::eval::samples::path_beside(&path, &file.file)?;
        changes.push(Change::new(
            beside.to_string_lossy().replace('\\', "/"),
            samples,
        ));
    }
    let mut removals = Vec::new();
    for shard in folded {
        removals.push(shard.rel.clone());
        if let Some(file) = shard
            .manifest
            .eval
            .as_ref()
            .and_then(|e| e.samples.as_ref())
        {
            let beside = crate::eval::samples::path_beside(&shard.path, &file.file)?;
            if beside.exists() {
                removals.push(commons.relative(&beside)?);
            }
        }
        for sig in crate::signing::signature_files(&shard.path) {
            removals.push(commons.relative(&sig)?);
        }
    }
    let mut body = String::new();
    let mut snapshot = None;
    if let Some(s) = signer {
        let signature = crate::signing::sign(manifest, bytes.as_bytes(), &s.member, &s.pk, &s.sk)?;
        let sig_rel = crate::signing::signature_path(&path, &s.member);
        changes.push(Change::new(
            sig_rel.to_string_lossy().replace('\\', "/"),
            signature,
        ));
        let mut tree = commons.manifest_digests()?;
        tree.insert(
            rel.clone(),
            crate::digest::Sha256Hex::of_bytes(bytes.as_bytes()),
        );
        for shard in folded {
            tree.remove(&shard.rel);
        }
        body.push_str(&format!(
            "\n\nSigned by {} with key {}.",
            s.member, s.key_id
        ));
        if let Some(r) = super::snapshot::refresh_for(commons, s, &tree)? {
            body.push_str(&format!("\nSnapshot version {}.", r.version));
            snapshot = Some(r.version);
            changes.extend(r.changes);
            removals.extend(r.removals);
        }
    }
    commons.commit_changes(changes, removals, &format!("{message}{body}"))?;
    if let Some(version) = snapshot {
        super::snapshot::seen(commons, version)?;
    }
    Ok(commons.root().join(path))
}

fn recorded_status(ctx: &Context, manifest: &Manifest, path: &Path, signer: Option<&Signer>) {
    ctx.printer
        .status("Recorded", format!("{} in {}", manifest.id, path.display()));
    if let Some(s) = signer {
        ctx.printer
            .status("Signed", format!("{} as {}", manifest.id, s.member));
    }
}

/// Whether the signed snapshot lists any of `shards`.
fn snapshot_lists(commons: &Commons, shards: &[Loaded]) -> bool {
    crate::snapshot::load(commons.root())
        .ok()
        .flatten()
        .is_some_and(|s| {
            shards
                .iter()
                .any(|l| s.snapshot.manifests.contains_key(&l.rel))
        })
}

/// Every recorded eval manifest, newest first within a model and task.
fn recorded(ctx: &Context) -> anyhow::Result<Vec<Manifest>> {
    let commons = ctx.commons()?;
    let mut evals: Vec<Manifest> = commons
        .load_all()?
        .into_iter()
        .map(|l| l.manifest)
        .filter(|m| m.kind == Kind::Eval && m.eval.is_some())
        .collect();
    evals.sort_by(|a, b| {
        let (x, y) = (
            a.eval.as_ref().expect("filtered"),
            b.eval.as_ref().expect("filtered"),
        );
        (&x.model.id, &x.task, &y.date, &a.id).cmp(&(&y.model.id, &y.task, &x.date, &b.id))
    });
    Ok(evals)
}

fn list(args: ListArgs, ctx: &Context) -> anyhow::Result<ExitStatus> {
    let mut evals = recorded(ctx)?;
    evals.retain(|m| {
        let e = m.eval.as_ref().expect("filtered");
        args.model.as_ref().is_none_or(|id| &e.model.id == id)
            && args.task.as_ref().is_none_or(|t| &e.task == t)
    });
    match args.format {
        DataFormat::Json => print_json(&evals.iter().map(|m| serde_json::json!({
            "id": m.id,
            "model": m.eval.as_ref().map(|e| &e.model),
            "task": m.eval.as_ref().map(|e| &e.task),
            "items": m.eval.as_ref().and_then(|e| e.items),
            "shard": m.eval.as_ref().and_then(|e| e.shard).map(|s| format!("{}/{}", s.index, s.count)),
            "metrics": m.eval.as_ref().map(|e| &e.metrics),
            "date": m.eval.as_ref().and_then(|e| e.date.clone()),
        })).collect::<Vec<_>>())?,
        DataFormat::Human => {
            let mut t = table(&["model", "task", "items", "shard", "metrics", "date", "id"]);
            for m in &evals {
                let e = m.eval.as_ref().expect("filtered");
                let metrics: Vec<String> = e.metrics.iter().map(|(n, v)| format!("{n} {}", fmt_metric(v))).collect();
                t.add_row(vec![
                    e.model.id.clone(),
                    e.task.clone(),
                    e.items.map(|i| i.to_string()).unwrap_or_default(),
                    e.shard.map(|s| format!("{}/{}", s.index, s.count)).unwrap_or_default(),
                    metrics.join("\n"),
                    e.date.clone().unwrap_or_default(),
                    m.id.rsplit('/').next().unwrap_or_default().to_owned(),
                ]);
            }
            println!("{t}");
        }
    }
    Ok(ExitStatus::Success)
}

/// How much of a benchmark a result covers: a `--limit 100` result or one
/// shard must not pass for the whole benchmark's number.
#[derive(serde::Serialize)]
struct Coverage {
    /// Items scored.
    items: Option<u64>,
    /// `--limit`, when the run was limited.
    limit: Option<u64>,
    /// `--limit-seed`, when the limited items were drawn.
    limit_seed: Option<u64>,
    /// `--num-fewshot`, when examples preceded each item.
    num_fewshot: Option<u64>,
    /// `K/N` when the result is one shard of N.
    shard: Option<String>,
    /// The eval manifest the figures come from.
    id: String,
}

impl Coverage {
    fn of(m: &Manifest) -> Coverage {
        let e = m.eval.as_ref().expect("filtered");
        Coverage {
            items: e.items,
            limit: e.config.get("limit").and_then(serde_yaml::Value::as_u64),
            limit_seed: e
                .config
                .get("limit_seed")
                .and_then(serde_yaml::Value::as_u64),
            num_fewshot: e
                .config
                .get("num_fewshot")
                .and_then(serde_yaml::Value::as_u64),
            shard: e.shard.map(|s| format!("{}/{}", s.index, s.count)),
            id: m.id.clone(),
        }
    }

    /// `2376`, `100 (--limit 100)`, `25 (5-shot, --limit 100 --limit-seed 7,
    /// shard 1/4)`.
    fn label(&self) -> String {
        let items = self.items.map_or("?".to_owned(), |n| n.to_string());
        let seed = self
            .limit_seed
            .map(|s| format!(" --limit-seed {s}"))
            .unwrap_or_default();
        let partial: Vec<String> = self
            .num_fewshot
            .map(|k| format!("{k}-shot"))
            .into_iter()
            .chain(self.limit.map(|l| format!("--limit {l}{seed}")))
            .chain(self.shard.as_ref().map(|s| format!("shard {s}")))
            .collect();
        if partial.is_empty() {
            items
        } else {
            format!("{items} ({})", partial.join(", "))
        }
    }
}

/// The newest result per model and task: a whole (unsharded) one when
/// there is one, else the newest shard.
fn latest<'a>(evals: &'a [Manifest], args: &ShowArgs) -> Vec<&'a Manifest> {
    let mut latest: Vec<&Manifest> = Vec::new();
    for m in evals {
        let e = m.eval.as_ref().expect("filtered");
        let wanted = (args.models.is_empty() || args.models.contains(&e.model.id))
            && args.task.as_ref().is_none_or(|t| &e.task == t);
        if !wanted {
            continue;
        }
        let same = |l: &&Manifest| {
            let le = l.eval.as_ref().expect("filtered");
            le.model.id == e.model.id && le.task == e.task
        };
        match latest.iter().position(same) {
            None => latest.push(m),
            Some(i)
                if latest[i].eval.as_ref().is_some_and(|l| l.shard.is_some())
                    && e.shard.is_none() =>
            {
                latest[i] = m
            }
            Some(_) => {}
        }
    }
    latest
}

/// A column of `eval show`: a task's coverage, or one of its metrics.
#[derive(Clone, PartialEq, Eq, PartialOrd, Ord)]
enum ShowColumn {
    Items(String),
    Metric(String, String),
}

fn show(args: ShowArgs, ctx: &Context) -> anyhow::Result<ExitStatus> {
    let evals = recorded(ctx)?;
    let latest = latest(&evals, &args);
    if latest.is_empty() {
        bail!("no recorded results match; run `commons eval MODEL --task TASK` first");
    }
    let mut columns: Vec<ShowColumn> = Vec::new();
    let mut models: Vec<String> = Vec::new();
    for m in &latest {
        let e = m.eval.as_ref().expect("filtered");
        let task_columns = std::iter::once(ShowColumn::Items(e.task.clone())).chain(
            e.metrics
                .keys()
                .map(|name| ShowColumn::Metric(e.task.clone(), name.clone())),
        );
        for column in task_columns {
            if !columns.contains(&column) {
                columns.push(column);
            }
        }
        if !models.contains(&e.model.id) {
            models.push(e.model.id.clone());
        }
    }
    // Each task's coverage, then its metrics.
    columns.sort_by(|a, b| {
        let key = |c: &ShowColumn| match c {
            ShowColumn::Items(t) => (t.clone(), String::new()),
            ShowColumn::Metric(t, m) => (t.clone(), format!(" {m}")),
        };
        key(a).cmp(&key(b))
    });
    let result = |model: &str, task: &str| {
        latest.iter().copied().find(|m| {
            let e = m.eval.as_ref().expect("filtered");
            e.model.id == model && e.task == task
        })
    };
    let metric = |model: &str, task: &str, name: &str| {
        result(model, task).and_then(|m| m.eval.as_ref().expect("filtered").metrics.get(name))
    };
    match args.format {
        DataFormat::Json => {
            let rows: Vec<_> = models
                .iter()
                .map(|model| {
                    let mut results = serde_json::Map::new();
                    let mut coverage = serde_json::Map::new();
                    for column in &columns {
                        match column {
                            ShowColumn::Items(task) => {
                                if let Some(m) = result(model, task) {
                                    coverage
                                        .insert(task.clone(), serde_json::json!(Coverage::of(m)));
                                }
                            }
                            ShowColumn::Metric(task, name) => {
                                if let Some(v) = metric(model, task, name) {
                                    results.insert(format!("{task}/{name}"), serde_json::json!(v));
                                }
                            }
                        }
                    }
                    serde_json::json!({ "model": model, "results": results, "coverage": coverage })
                })
                .collect();
            print_json(&rows)?;
        }
        DataFormat::Human => {
            let header: Vec<String> = std::iter::once("model".to_owned())
                .chain(columns.iter().map(|c| match c {
                    ShowColumn::Items(t) => format!("{t}\nitems"),
                    ShowColumn::Metric(t, m) => format!("{t}\n{m}"),
                }))
                .collect();
            let mut t = table(&header.iter().map(String::as_str).collect::<Vec<_>>());
            for model in &models {
                let mut row = vec![model.clone()];
                row.extend(columns.iter().map(|c| {
                    match c {
                        ShowColumn::Items(task) => result(model, task)
                            .map(|m| Coverage::of(m).label())
                            .unwrap_or_default(),
                        ShowColumn::Metric(task, name) => metric(model, task, name)
                            .map(fmt_metric)
                            .unwrap_or_default(),
                    }
                }));
                t.add_row(row);
            }
            println!("{t}");
        }
    }
    Ok(ExitStatus::Success)
}

fn diff(args: DiffArgs, ctx: &Context) -> anyhow::Result<ExitStatus> {
    use crate::eval::diff::{DiffSettings, compare};
    if !(args.alpha > 0.0 && args.alpha < 1.0) {
        bail!(
            "--alpha {}: a significance level is between 0 and 1",
            args.alpha
        );
    }
    let commons = ctx.commons()?;
    let a = commons.load(&args.a)?;
    let b = commons.load(&args.b)?;
    let (ea, eb) = (eval_section(&a)?, eval_section(&b)?);
    if ea.task != eb.task {
        bail!(
            "`{}` is a {} result and `{}` a {} result: diff compares two results of one task",
            a.manifest.id,
            ea.task,
            b.manifest.id,
            eb.task
        );
    }
    if ea.data_sha256 != eb.data_sha256 {
        bail!(
            "`{}` and `{}` evaluated different data (`eval.data_sha256` {} and {})",
            a.manifest.id,
            b.manifest.id,
            ea.data_sha256
                .as_ref()
                .map_or("none".into(), ToString::to_string),
            eb.data_sha256
                .as_ref()
                .map_or("none".into(), ToString::to_string),
        );
    }
    let task = Task::parse(&ea.task, false)?;
    let (sa, sb) = (logged_samples(&a, ea)?, logged_samples(&b, eb)?);
    let settings = DiffSettings {
        iterations: args.iterations as usize,
        seed: args.seed,
        alpha: args.alpha,
    };
    let c = compare(task.scoring(), &sa, &sb, settings)?;
    let configs = config_differences(ea, eb);
    match args.format {
        DataFormat::Json => print_json(&serde_json::json!({
            "task": ea.task,
            "a": { "id": a.manifest.id, "model": ea.model, "items": sa.len() },
            "b": { "id": b.manifest.id, "model": eb.model, "items": sb.len() },
            "config_differences": configs,
            "comparison": c,
        }))?,
        DataFormat::Human => {
            println!(
                "{}: {} items paired (A {}: {}; B {}: {})",
                ea.task,
                c.paired,
                a.manifest.id,
                sa.len(),
                b.manifest.id,
                sb.len()
            );
            for line in &configs {
                println!("  {line}");
            }
            let mut t = table(&["metric", "A", "B", "B − A", "95% interval", "p", "test"]);
            for m in &c.metrics {
                let verdict = if !m.significant {
                    "no significant difference".to_owned()
                } else if (m.delta > 0.0) == m.higher_is_better {
                    "B better".to_owned()
                } else {
                    "A better".to_owned()
                };
                let test = match (m.a_only_right, m.b_only_right) {
                    (Some(x), Some(y)) => format!("McNemar ({x} right only in A, {y} only in B)"),
                    _ => format!("bootstrap ({} resamples)", c.iterations),
                };
                t.add_row(vec![
                    m.metric.clone(),
                    fmt_value(m.a),
                    fmt_value(m.b),
                    format!("{:+.4}", m.delta),
                    format!("[{:+.4}, {:+.4}]", m.ci95[0], m.ci95[1]),
                    format!("{:.4}\n{verdict}", m.p_value),
                    test,
                ]);
            }
            println!("{t}");
            for (metric, items) in &c.changed {
                if items.is_empty() {
                    continue;
                }
                println!("{metric}: {} items changed", items.len());
                for item in items.iter().take(args.show_items) {
                    let pred = |p: Option<usize>| p.map_or("-".into(), |p| p.to_string());
                    println!(
                        "  item {:>6}  target {}  A chose {}  B chose {}  ({} right)",
                        item.doc_id,
                        item.target.as_ref().map_or("-".into(), ToString::to_string),
                        pred(item.a_prediction),
                        pred(item.b_prediction),
                        if item.b_right { "B" } else { "A" }
                    );
                }
                if items.len() > args.show_items {
                    println!(
                        "  … and {} more (--show-items, or --format json)",
                        items.len() - args.show_items
                    );
                }
            }
            if c.only_a + c.only_b > 0 {
                ctx.printer.warn(format!(
                    "{} items are only in A and {} only in B: the figures above are over the {} paired items",
                    c.only_a, c.only_b, c.paired
                ));
            }
        }
    }
    Ok(ExitStatus::Success)
}

fn eval_section(l: &Loaded) -> anyhow::Result<&crate::manifest::EvalSection> {
    l.manifest
        .eval
        .as_ref()
        .filter(|_| l.manifest.kind == Kind::Eval)
        .with_context(|| format!("`{}` is not an evaluation result", l.manifest.id))
}

/// The samples a result logged, read and checked against their digest.
fn logged_samples(l: &Loaded, eval: &crate::manifest::EvalSection) -> anyhow::Result<Vec<Sample>> {
    let Some(file) = eval.samples.as_ref() else {
        bail!(
            "`{}` has no per-item samples: evaluate again with --log-samples",
            l.manifest.id
        );
    };
    let samples = crate::eval::samples::audited(&l.path, &l.manifest.id, eval, file)
        .map_err(|u| anyhow::anyhow!(u))?;
    Ok(samples)
}

/// What differs between the two results besides their numbers: the model,
/// the settings, the engine.
fn config_differences(
    a: &crate::manifest::EvalSection,
    b: &crate::manifest::EvalSection,
) -> Vec<String> {
    let mut out = Vec::new();
    if a.model != b.model {
        out.push(format!("model: A {}, B {}", a.model.id, b.model.id));
    }
    let keys: std::collections::BTreeSet<&String> =
        a.config.keys().chain(b.config.keys()).collect();
    for key in keys {
        let show = |v: Option<&serde_yaml::Value>| {
            v.map_or("(unset)".to_owned(), |v| {
                serde_yaml::to_string(v)
                    .unwrap_or_default()
                    .trim()
                    .to_owned()
            })
        };
        let (x, y) = (a.config.get(key), b.config.get(key));
        if x != y {
            out.push(format!("config.{key}: A {}, B {}", show(x), show(y)));
        }
    }
    if (&a.engine, &a.engine_version) != (&b.engine, &b.engine_version) {
        out.push(format!(
            "engine: A {} {}, B {} {}",
            a.engine, a.engine_version, b.engine, b.engine_version
        ));
    }
    out
}
