//! Evaluation results as lm-evaluation-harness writes them
//! (`results_<date>.json`), so the leaderboards and notebooks that read the
//! harness's files read a commons' results too.
//!
//! The layout is the harness's (`evaluator.simple_evaluate` and
//! `EvaluationTracker.save_results_aggregated`): per task `results`
//! (`"<metric>,none"` and `"<metric>_stderr,none"`, `"N/A"` where no
//! standard error is recorded), `versions`, `n-shot`, `higher_is_better`,
//! `n-samples` and `configs`, then the run's `config`, `date` (a Unix time),
//! `total_evaluation_time_seconds` and the model's names.
//!
//! Only results of a task the harness also has are exported, under its name
//! and with the metrics it defines ([`HarnessTask`]); chunked perplexity,
//! STS and generic multiple choice have no harness task and are refused,
//! not renamed. A result that covers part of its data (`--limit`, or one
//! shard not yet merged) says so where every reader looks: `n-samples`
//! (`effective` below `original`), `config.limit`, and the task's alias
//! (`arc_easy (partial: 4 of 2376 items)`), which `make_table` prints.

use std::collections::BTreeMap;

use serde_json::{Map, Value, json};

use super::{Export, ExportError};
use crate::commons::Loaded;
use crate::eval::{Preset, Task};
use crate::manifest::{EvalSection, Kind};

/// An lm-evaluation-harness task a commons task is the same benchmark as.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct HarnessTask {
    pub name: &'static str,
    /// The task's `metadata.version` in the harness.
    pub version: f64,
    pub output_type: &'static str,
    /// Its metrics: name, aggregation, higher is better.
    pub metrics: &'static [(&'static str, &'static str, bool)],
}

const CHOICE: &[(&str, &str, bool)] = &[("acc", "mean", true), ("acc_norm", "mean", true)];

/// The harness's names of the tasks it shares with `commons eval`.
pub const HARNESS_TASKS: &str =
    "hellaswag, arc_easy, arc_challenge, piqa, winogrande, lambada_openai, wikitext";

impl HarnessTask {
    /// The harness task `eval` measured, if the harness has it: rolling
    /// perplexity counts as `wikitext` only over WikiText's pages.
    pub fn of(eval: &EvalSection) -> Option<HarnessTask> {
        let choice = |name| HarnessTask {
            name,
            version: 1.0,
            output_type: "multiple_choice",
            metrics: CHOICE,
        };
        Some(match Task::parse(&eval.task, false).ok()? {
            Task::Choice(Preset::Hellaswag) => choice("hellaswag"),
            Task::Choice(Preset::ArcEasy) => choice("arc_easy"),
            Task::Choice(Preset::ArcChallenge) => choice("arc_challenge"),
            Task::Choice(Preset::Piqa) => choice("piqa"),
            Task::Choice(Preset::Winogrande) => HarnessTask {
                metrics: &CHOICE[..1],
                ..choice("winogrande")
            },
            Task::Lambada => HarnessTask {
                name: "lambada_openai",
                version: 1.0,
                output_type: "loglikelihood",
                metrics: &[("perplexity", "perplexity", false), ("acc", "mean", true)],
            },
            Task::Perplexity
                if eval.config.get("documents").and_then(|d| d.as_str())
                    == Some("wikitext-pages") =>
            {
                HarnessTask {
                    name: "wikitext",
                    version: 2.0,
                    output_type: "loglikelihood_rolling",
                    metrics: &[
                        ("word_perplexity", "weighted_perplexity", false),
                        ("byte_perplexity", "weighted_perplexity", false),
                        ("bits_per_byte", "bits_per_byte", false),
                    ],
                }
            }
            Task::Perplexity
            | Task::ChunkedPerplexity
            | Task::Choice(Preset::Generic)
            | Task::Sts => return None,
        })
    }
}

/// One eval record, read as a result of a harness task.
pub struct HarnessResult<'a> {
    pub record: &'a Loaded,
    pub eval: &'a EvalSection,
    pub task: HarnessTask,
    /// Items the data holds.
    pub original: u64,
    /// Items scored.
    pub effective: u64,
}

impl HarnessResult<'_> {
    /// A `--limit` result, or one shard of several.
    pub fn partial(&self) -> bool {
        self.effective < self.original || self.eval.shard.is_some_and(|s| s.count > 1)
    }

    fn limit(&self) -> Option<u64> {
        self.eval.config.get("limit").and_then(|l| l.as_u64())
    }

    /// The task's name, with how much of it was scored when not all.
    fn alias(&self) -> String {
        let name = self.task.name;
        let (scored, of) = (self.effective, self.original);
        match self.eval.shard.filter(|s| s.count > 1) {
            Some(s) => format!(
                "{name} (shard {}/{}: {scored} of {of} items)",
                s.index, s.count
            ),
            None if self.partial() => format!("{name} (partial: {scored} of {of} items)"),
            None => name.to_owned(),
        }
    }
}

/// A record left out of a model's results, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Skipped {
    pub id: String,
    pub reason: String,
}

/// The results an export holds, and the model's records it left out.
pub struct Selection<'a> {
    pub model: String,
    /// The model record's digest the results measured.
    pub model_digest: Option<String>,
    pub results: Vec<HarnessResult<'a>>,
    pub skipped: Vec<Skipped>,
}

/// The results of the export's subject: an eval record's, or a model's
/// latest result of each harness task (its newest whole result, else the
/// partial one that scored the most items), skipping what the harness has
/// no task for and results of another version of the model's record.
pub fn select<'a>(x: &Export<'a>) -> Result<Selection<'a>, ExportError> {
    let subject = x.subject.ok_or(ExportError::LmEvalNeedsSubject)?;
    match subject.manifest.kind {
        Kind::Eval => {
            let result = harness_result(subject)?;
            Ok(Selection {
                model: result.eval.model.id.clone(),
                model_digest: result.eval.model.digest.as_ref().map(ToString::to_string),
                results: vec![result],
                skipped: Vec::new(),
            })
        }
        Kind::Model => of_model(x, subject),
        kind => Err(ExportError::NotEvalOrModel {
            id: subject.manifest.id.clone(),
            kind,
        }),
    }
}

fn of_model<'a>(x: &Export<'a>, model: &'a Loaded) -> Result<Selection<'a>, ExportError> {
    let mut latest: BTreeMap<&str, HarnessResult<'a>> = BTreeMap::new();
    let mut skipped = Vec::new();
    for record in x.records.evals_of(&model.manifest.id) {
        let pinned = record
            .manifest
            .eval
            .as_ref()
            .and_then(|e| e.model.digest.as_ref());
        if pinned != Some(&model.digest) {
            skipped.push(Skipped {
                id: record.manifest.id.clone(),
                reason: "it measured another version of the model's record (its `eval.model.digest` differs)".into(),
            });
            continue;
        }
        let result = match harness_result(record) {
            Ok(r) => r,
            Err(e) => {
                let reason = match e {
                    ExportError::NoHarnessTask { task, .. } => {
                        format!("lm-evaluation-harness has no `{task}` task")
                    }
                    ExportError::UnknownCoverage { field, .. } => format!(
                        "it does not record `eval.{field}`, so how much of its data it scored is unknown"
                    ),
                    e => e.to_string(),
                };
                skipped.push(Skipped {
                    id: record.manifest.id.clone(),
                    reason,
                });
                continue;
            }
        };
        let newer = latest
            .get(result.task.name)
            .is_none_or(|kept| rank(&result) > rank(kept));
        if newer {
            latest.insert(result.task.name, result);
        }
    }
    if latest.is_empty() {
        let left_out: Vec<String> = skipped
            .iter()
            .map(|s| format!("`{}`: {}", s.id, s.reason))
            .collect();
        return Err(ExportError::NoHarnessResults {
            model: model.manifest.id.clone(),
            left_out: if left_out.is_empty() {
                String::new()
            } else {
                format!("; left out: {}", left_out.join("; "))
            },
        });
    }
    Ok(Selection {
        model: model.manifest.id.clone(),
        model_digest: Some(model.digest.to_string()),
        results: latest.into_values().collect(),
        skipped,
    })
}

/// Whole before partial, then more items scored, then newer, then the
/// larger id.
fn rank<'r>(r: &'r HarnessResult) -> (bool, u64, Option<&'r str>, &'r str) {
    (
        !r.partial(),
        r.effective,
        r.eval.date.as_deref(),
        r.record.manifest.id.as_str(),
    )
}

fn harness_result(record: &Loaded) -> Result<HarnessResult<'_>, ExportError> {
    let id = || record.manifest.id.clone();
    let eval = record
        .manifest
        .eval
        .as_ref()
        .ok_or_else(|| ExportError::NotEvalOrModel {
            id: id(),
            kind: record.manifest.kind,
        })?;
    let task = HarnessTask::of(eval).ok_or_else(|| ExportError::NoHarnessTask {
        id: id(),
        task: eval.task.clone(),
    })?;
    let effective = eval.items.ok_or_else(|| ExportError::UnknownCoverage {
        id: id(),
        field: "items",
    })?;
    let whole = eval.shard.is_none_or(|s| s.count <= 1);
    let limit = eval.config.get("limit").and_then(|l| l.as_u64());
    // A record from before `data_items` was recorded: a whole run, or one
    // whose limit the data did not reach, scored every item.
    let original = match eval.data_items {
        Some(n) => n,
        None if whole && limit.is_none_or(|l| effective < l) => effective,
        None => {
            return Err(ExportError::UnknownCoverage {
                id: id(),
                field: "data_items",
            });
        }
    };
    Ok(HarnessResult {
        record,
        eval,
        task,
        original,
        effective,
    })
}

/// The results JSON of `selection`.
pub fn document(x: &Export, selection: &Selection) -> Value {
    let mut results = Map::new();
    let mut group_subtasks = Map::new();
    let mut configs = Map::new();
    let mut versions = Map::new();
    let mut n_shot = Map::new();
    let mut higher_is_better = Map::new();
    let mut n_samples = Map::new();
    for r in &selection.results {
        let name = r.task.name.to_owned();
        results.insert(name.clone(), task_results(r));
        group_subtasks.insert(name.clone(), json!([]));
        configs.insert(name.clone(), task_config(x, r));
        versions.insert(name.clone(), json!(r.task.version));
        n_shot.insert(name.clone(), json!(0));
        let better: Map<String, Value> = r
            .task
            .metrics
            .iter()
            .map(|&(m, _, up)| (m.to_owned(), json!(up)))
            .collect();
        higher_is_better.insert(name.clone(), Value::Object(better));
        n_samples.insert(
            name,
            json!({"original": r.original, "effective": r.effective}),
        );
    }
    let rs = &selection.results;
    // The harness's `limit` is the run's; the largest here, so that no task
    // looks more complete than it is (each task's own is in its config).
    let limit = rs.iter().filter_map(HarnessResult::limit).max();
    let start = rs.iter().filter_map(started).reduce(f64::min);
    let seconds: f64 = rs.iter().filter_map(|r| r.eval.duration_seconds).sum();
    let model_args = match &selection.model_digest {
        Some(d) => format!("pretrained={},manifest_sha256={d}", selection.model),
        None => format!("pretrained={}", selection.model),
    };
    let mut config = json!({
        "model": "commons",
        "model_args": model_args,
        "batch_size": 1,
        "batch_sizes": [],
        "device": "cpu",
        "use_cache": null,
        "limit": limit,
        "bootstrap_iters": 0,
        "gen_kwargs": null,
    });
    let seeds: Vec<u64> = rs
        .iter()
        .filter_map(|r| r.eval.config.get("fewshot_seed").and_then(|s| s.as_u64()))
        .collect();
    if let Some(seed) = seeds.first() {
        config["fewshot_seed"] = json!(seed);
    }
    json!({
        "results": results,
        "group_subtasks": group_subtasks,
        "configs": configs,
        "versions": versions,
        "n-shot": n_shot,
        "higher_is_better": higher_is_better,
        "n-samples": n_samples,
        "config": config,
        "git_hash": null,
        "date": start,
        "task_hashes": {},
        "model_source": "commons",
        "model_name": selection.model,
        "model_name_sanitized": sanitized(&selection.model),
        "system_instruction": null,
        "system_instruction_sha": null,
        "fewshot_as_multiturn": false,
        "chat_template": null,
        "chat_template_sha": null,
        "total_evaluation_time_seconds": format!("{}", (seconds * 1000.0).round() / 1000.0),
    })
}

/// `{alias, "<metric>,none", "<metric>_stderr,none", …}` of one task.
fn task_results(r: &HarnessResult) -> Value {
    let mut out = Map::new();
    out.insert("name".into(), json!(r.task.name));
    out.insert("alias".into(), json!(r.alias()));
    out.insert("sample_len".into(), json!(r.effective));
    for &(metric, _, _) in r.task.metrics {
        let Some(m) = r.eval.metrics.get(metric) else {
            continue;
        };
        out.insert(format!("{metric},none"), json!(m.value));
        out.insert(
            format!("{metric}_stderr,none"),
            m.stderr.map_or(json!("N/A"), |s| json!(s)),
        );
    }
    Value::Object(out)
}

/// The task's configuration as the harness dumps it, with what the commons
/// knows of the data and the record under `metadata`.
fn task_config(x: &Export, r: &HarnessResult) -> Value {
    let e = r.eval;
    let metric_list: Vec<Value> = r
        .task
        .metrics
        .iter()
        .map(|&(m, agg, up)| json!({"metric": m, "aggregation": agg, "higher_is_better": up}))
        .collect();
    let signed_by: Vec<&str> = x
        .signatures_of(&r.record.manifest.id)
        .iter()
        .filter(|s| s.valid)
        .map(|s| s.member.as_str())
        .collect();
    let mut metadata = json!({
        "version": r.task.version,
        "data_sha256": e.data_sha256.as_ref().map(ToString::to_string),
        "commons_task": e.task,
        "commons_config": e.config,
        "limit": r.limit(),
        "shard": e.shard.map(|s| format!("{}/{}", s.index, s.count)),
        "record": r.record.manifest.id,
        "record_sha256": r.record.digest.to_string(),
        "signed_by": signed_by,
        "engine": e.engine,
        "engine_version": e.engine_version,
    });
    if !e.merged_from.is_empty() {
        metadata["merged_from"] = json!(e.merged_from.iter().map(|m| &m.id).collect::<Vec<_>>());
    }
    let mut config = json!({
        "task": r.task.name,
        "dataset_path": e.dataset.as_ref().map(|d| &d.id),
        "dataset_name": null,
        "output_type": r.task.output_type,
        "num_fewshot": 0,
        "metric_list": metric_list,
        "metadata": metadata,
    });
    let alias = r.alias();
    if alias != r.task.name {
        config["task_alias"] = json!(alias);
    }
    config
}

/// The Unix time the evaluation started: its recorded date (when it
/// ended) less its duration.
fn started(r: &HarnessResult) -> Option<f64> {
    let end = time::OffsetDateTime::parse(
        r.eval.date.as_deref()?,
        &time::format_description::well_known::Rfc3339,
    )
    .ok()?;
    let start = end.unix_timestamp() as f64 - r.eval.duration_seconds.unwrap_or(0.0);
    Some((start * 1000.0).round() / 1000.0)
}

/// The model's name as the harness makes a folder of it: each run of
/// `"<>:/|\?*[]` becomes `__`.
pub fn sanitized(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    let mut in_run = false;
    for c in name.chars() {
        if "\"<>:/|\\?*[]".contains(c) {
            if !in_run {
                out.push_str("__");
            }
            in_run = true;
        } else {
            out.push(c);
            in_run = false;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::manifest::{Manifest, Metric, Reference, Shard};
    use crate::records::RecordSet;

    fn loaded(m: Manifest) -> Loaded {
        Loaded::in_memory(m)
    }

    fn eval(id: &str, task: &str, items: u64, data_items: Option<u64>) -> EvalSection {
        EvalSection {
            model: Reference {
                id: "org/model".into(),
                digest: None,
            },
            task: task.into(),
            metrics: [(
                "acc".to_owned(),
                Metric {
                    value: 0.25,
                    stderr: Some(0.1),
                },
            )]
            .into(),
            engine: "commons".into(),
            engine_version: id.into(),
            items: Some(items),
            data_items,
            ..Default::default()
        }
    }

    fn record(id: &str, e: EvalSection) -> Loaded {
        let mut m = Manifest::new(Kind::Eval, id);
        m.eval = Some(e);
        loaded(m)
    }

    #[test]
    fn tasks_map_to_the_harness_names_or_to_none() {
        let name = |task: &str| HarnessTask::of(&eval("x", task, 1, None)).map(|t| t.name);
        assert_eq!(name("hellaswag"), Some("hellaswag"));
        assert_eq!(name("arc-challenge"), Some("arc_challenge"));
        assert_eq!(name("lambada"), Some("lambada_openai"));
        assert_eq!(
            HarnessTask::of(&eval("x", "winogrande", 1, None))
                .unwrap()
                .metrics
                .len(),
            1
        );
        for task in ["perplexity-chunked", "sts", "choice", "mmlu"] {
            assert_eq!(name(task), None, "{task}");
        }
        // Rolling perplexity is WikiText's only over its pages.
        let mut e = eval("x", "perplexity", 1, None);
        assert_eq!(HarnessTask::of(&e), None);
        e.config.insert("documents".into(), "wikitext-pages".into());
        assert_eq!(HarnessTask::of(&e).unwrap().name, "wikitext");
    }

    #[test]
    fn older_records_export_only_when_they_scored_all_their_data() {
        let whole = record("org/model/piqa-1", eval("a", "piqa", 10, None));
        let r = harness_result(&whole).unwrap();
        assert_eq!((r.original, r.effective, r.partial()), (10, 10, false));
        // Limited, and the limit not reached: the data held 3 items.
        let mut e = eval("b", "piqa", 3, None);
        e.config.insert("limit".into(), 5u64.into());
        let short = record("org/model/piqa-2", e.clone());
        assert_eq!(harness_result(&short).unwrap().original, 3);
        // Limited to what it scored: how much data there was is unknown.
        e.config.insert("limit".into(), 3u64.into());
        let unknown = record("org/model/piqa-3", e.clone());
        assert!(matches!(
            harness_result(&unknown),
            Err(ExportError::UnknownCoverage {
                field: "data_items",
                ..
            })
        ));
        e.data_items = Some(1838);
        let known = record("org/model/piqa-4", e.clone());
        let r = harness_result(&known).unwrap();
        assert_eq!(r.alias(), "piqa (partial: 3 of 1838 items)");
        // A shard is partial even where it covers its slice.
        e.config.clear();
        e.shard = Some(Shard { index: 1, count: 2 });
        let shard = record("org/model/piqa-5", e);
        assert_eq!(
            harness_result(&shard).unwrap().alias(),
            "piqa (shard 1/2: 3 of 1838 items)"
        );
    }

    #[test]
    fn a_results_file_holds_the_harness_layout() {
        let mut e = eval("c", "winogrande", 4, Some(1267));
        e.config.insert("limit".into(), 4u64.into());
        e.date = Some("2026-11-22T12:00:10Z".into());
        e.duration_seconds = Some(10.5);
        let all = vec![record("org/model/winogrande-1", e)];
        let records = RecordSet::new(&all);
        let x = Export::lineage(&records, &all[0]);
        let doc = document(&x, &select(&x).unwrap());
        assert_eq!(
            doc["results"]["winogrande"],
            json!({"name": "winogrande", "alias": "winogrande (partial: 4 of 1267 items)",
                   "sample_len": 4, "acc,none": 0.25, "acc_stderr,none": 0.1})
        );
        assert_eq!(
            doc["n-samples"]["winogrande"],
            json!({"original": 1267, "effective": 4})
        );
        assert_eq!(doc["config"]["limit"], 4);
        assert_eq!(doc["config"]["model_args"], "pretrained=org/model");
        // Started 10.5 s before 2026-11-22T12:00:10Z.
        assert_eq!(doc["date"], json!(1_795_348_799.5));
        assert_eq!(doc["total_evaluation_time_seconds"], "10.5");
        assert_eq!(doc["model_name_sanitized"], "org__model");
    }

    #[test]
    fn names_are_sanitized_like_the_harness() {
        assert_eq!(sanitized("org/name"), "org__name");
        assert_eq!(sanitized("a:/b[c]"), "a__b__c__");
    }
}
