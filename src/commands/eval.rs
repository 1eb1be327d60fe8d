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
use crate::eval::task::TASK_NAMES;
use crate::eval::{Cancel, Evaluation, Observer, Outcome, Settings, ShardRequest, ShardSpec, Task};
use crate::manifest::{Kind, Manifest, Metric, Reference};
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
        return print_outcome(&outcome, None, duration, args.format);
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
    let manifest = outcome.to_manifest(&provenance);
    let message = format!(
        "Record eval {} of {}: {}",
        task,
        model.manifest.id,
        headline(&outcome.metrics)
    );
    let path = commit_result(&commons, &manifest, &[], signer.as_ref(), &message)?;
    recorded_status(ctx, &manifest, &path, signer.as_ref());
    print_outcome(&outcome, Some(&manifest), duration, args.format)
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
    let merged = crate::eval::merge::fold(&digested)?;
    for shard in &shards {
        accepted(&commons, shard, args.allow_unsigned)?;
    }
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
        let path = commit_result(&commons, &merged, &shards, signer.as_ref(), &message)?;
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
    folded: &[Loaded],
    signer: Option<&Signer>,
    message: &str,
) -> anyhow::Result<PathBuf> {
    let path = manifest.relative_path();
    manifest.validate(&path)?;
    let rel = path.to_string_lossy().replace('\\', "/");
    let bytes = manifest.to_yaml();
    let mut changes = vec![Change::new(rel.clone(), bytes.clone())];
    let mut removals = Vec::new();
    for shard in folded {
        removals.push(shard.rel.clone());
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
            shard: e.shard.map(|s| format!("{}/{}", s.index, s.count)),
            id: m.id.clone(),
        }
    }

    /// `2376`, `100 (--limit 100)`, `25 (--limit 100, shard 1/4)`.
    fn label(&self) -> String {
        let items = self.items.map_or("?".to_owned(), |n| n.to_string());
        let partial: Vec<String> = self
            .limit
            .map(|l| format!("--limit {l}"))
            .into_iter()
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
