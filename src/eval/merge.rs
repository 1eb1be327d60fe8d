//! Merging the manifests of the shards of one evaluation.
//!
//! Shards merge when they evaluated the same model (id and digest), task,
//! data, configuration and engine, and together cover shards 1..n exactly
//! once. Their tallies are added in shard order and the metrics recomputed,
//! which gives exactly the numbers of one unsplit run.

use std::collections::BTreeMap;

use crate::digest::Sha256Hex;
use crate::manifest::{EvalSection, Manifest, Reference};

use super::metrics;
use super::run::{Outcome, Provenance};
use super::{EvalError, Result, ShardSpec, Tally, Task};

/// How many missing shards an error names before it counts the rest.
const MISSING_LISTED: usize = 20;

/// Merges shard manifests into the manifest of the whole evaluation.
pub fn merge(shards: &[Manifest]) -> Result<Manifest> {
    let sections: Vec<(&Manifest, &EvalSection)> = shards
        .iter()
        .map(|m| {
            m.eval
                .as_ref()
                .map(|e| (m, e))
                .ok_or_else(|| EvalError::Merge(format!("`{}` is not an eval manifest", m.id)))
        })
        .collect::<Result<_>>()?;
    let Some(&(first_manifest, first)) = sections.first() else {
        return Err(EvalError::Merge("no shard manifests given".into()));
    };
    let count = first.shard.map(|s| s.count).ok_or_else(|| {
        EvalError::Merge(format!(
            "`{}` is not a shard (it has no `eval.shard`)",
            first_manifest.id
        ))
    })?;
    let mut ordered: BTreeMap<u32, (&Manifest, &EvalSection)> = BTreeMap::new();
    for &(m, e) in &sections {
        same(first_manifest, first, m, e)?;
        let shard = e
            .shard
            .ok_or_else(|| EvalError::Merge(format!("`{}` is not a shard", m.id)))?;
        if shard.count != count {
            return Err(EvalError::Merge(format!(
                "{} overlaps the shards of {count}, such as {}: every shard must split the items the same way",
                named(m, e),
                named(first_manifest, first)
            )));
        }
        if shard.index == 0 || shard.index > count {
            return Err(EvalError::Merge(format!(
                "{} is not a shard of {count} (K must be 1..={count})",
                named(m, e)
            )));
        }
        if let Some((other, _)) = ordered.insert(shard.index, (m, e)) {
            return Err(EvalError::Merge(format!(
                "shard {}/{count} is given twice (`{}` and `{}`): the shards overlap",
                shard.index, other.id, m.id
            )));
        }
    }
    let missing: Vec<String> = (1..=count)
        .filter(|k| !ordered.contains_key(k))
        .take(MISSING_LISTED)
        .map(|k| format!("{k}/{count}"))
        .collect();
    if !missing.is_empty() {
        let more = count as usize - ordered.len() - missing.len();
        let more = if more > 0 {
            format!(" and {more} more")
        } else {
            String::new()
        };
        return Err(EvalError::Merge(format!(
            "shard(s) {}{more} missing",
            missing.join(", ")
        )));
    }
    let task = Task::parse(&first.task, false).map_err(|e| EvalError::Merge(e.to_string()))?;
    let mut tally = Tally::new();
    let (mut duration, mut date) = (0.0, String::new());
    for (m, e) in ordered.into_values() {
        tally.absorb(&Tally::from_record(&e.tally, &m.id)?)?;
        duration += e.duration_seconds.unwrap_or(0.0);
        date = date.max(e.date.clone().unwrap_or_default());
    }
    let outcome = Outcome {
        task,
        metrics: metrics::compute(task.scoring(), &tally),
        items: tally.sum(metrics::names::ITEMS) as u64,
        data_items: first.data_items,
        tally,
        shard: ShardSpec::WHOLE,
        data_sha256: first.data_sha256.clone().ok_or_else(|| {
            EvalError::Merge(format!("`{}` records no data digest", first_manifest.id))
        })?,
        config: first.config.clone(),
        samples: Vec::new(),
    };
    let provenance = Provenance {
        model: first.model.clone(),
        engine: first.engine.clone(),
        engine_version: first.engine_version.clone(),
        date,
        duration_seconds: duration,
    };
    Ok(outcome.to_manifest(&provenance))
}

/// Merges shard manifests, given with the sha256 of their files, into the
/// manifest of the whole evaluation that names them (in shard order) under
/// `eval.merged_from`.
pub fn fold(shards: &[(Manifest, Sha256Hex)]) -> Result<Manifest> {
    let manifests: Vec<Manifest> = shards.iter().map(|(m, _)| m.clone()).collect();
    let mut merged = merge(&manifests)?;
    let mut sources: Vec<(u32, Reference)> = shards
        .iter()
        .map(|(m, digest)| {
            let index = m.eval.as_ref().and_then(|e| e.shard).map_or(0, |s| s.index);
            let source = Reference {
                id: m.id.clone(),
                digest: Some(digest.clone()),
            };
            (index, source)
        })
        .collect();
    sources.sort_by_key(|(index, _)| *index);
    if let Some(eval) = merged.eval.as_mut() {
        eval.merged_from = sources.into_iter().map(|(_, r)| r).collect();
    }
    Ok(merged)
}

/// The fields (`id`, `eval.metrics`, …) in which `merged` differs from what
/// merging `shards` again gives.
pub fn recheck(merged: &Manifest, shards: &[Manifest]) -> Result<Vec<String>> {
    let again = merge(shards)?;
    let (Some(a), Some(b)) = (merged.eval.as_ref(), again.eval.as_ref()) else {
        return Err(EvalError::Merge(format!(
            "`{}` is not an eval manifest",
            merged.id
        )));
    };
    let mut differ = Vec::new();
    if merged.id != again.id {
        differ.push("id".to_owned());
    }
    let results = [
        ("metrics", a.metrics == b.metrics),
        ("tally", a.tally == b.tally),
        ("items", a.items == b.items),
    ];
    differ.extend(
        agree(a, b)
            .iter()
            .chain(&results)
            .filter(|(_, equal)| !equal)
            .map(|(field, _)| format!("eval.{field}")),
    );
    Ok(differ)
}

/// The fields that say what was evaluated, and how, each as text.
fn identity(e: &EvalSection) -> [(&'static str, String); 7] {
    let model = match &e.model.digest {
        Some(d) => format!("{} (manifest sha256 {d})", e.model.id),
        None => format!("{} (no digest)", e.model.id),
    };
    let data = e
        .data_sha256
        .as_ref()
        .map_or_else(|| "(none)".to_owned(), ToString::to_string);
    let config = serde_json::to_string(&e.config).unwrap_or_default();
    let data_items = e
        .data_items
        .map_or_else(|| "(none)".to_owned(), |n| n.to_string());
    [
        ("model", model),
        ("task", e.task.clone()),
        ("data_sha256", data),
        ("data_items", data_items),
        ("config", config),
        ("engine", e.engine.clone()),
        ("engine_version", e.engine_version.clone()),
    ]
}

/// Whether two results agree in each field of [`identity`].
fn agree(a: &EvalSection, b: &EvalSection) -> Vec<(&'static str, bool)> {
    identity(a)
        .into_iter()
        .zip(identity(b))
        .map(|((field, x), (_, y))| (field, x == y))
        .collect()
}

/// `shard K/N (`id`)`, or the id alone for a manifest that is no shard.
fn named(m: &Manifest, e: &EvalSection) -> String {
    match e.shard {
        Some(s) => format!("shard {}/{} (`{}`)", s.index, s.count, m.id),
        None => format!("`{}`", m.id),
    }
}

fn same(
    a_manifest: &Manifest,
    a: &EvalSection,
    b_manifest: &Manifest,
    b: &EvalSection,
) -> Result<()> {
    for ((field, x), (_, y)) in identity(a).into_iter().zip(identity(b)) {
        if x != y {
            return Err(EvalError::Merge(format!(
                "{} differs from {} in `eval.{field}` ({y} here, {x} there): they are not shards of one evaluation",
                named(b_manifest, b),
                named(a_manifest, a),
            )));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::eval::run::{Evaluation, Settings};
    use crate::eval::{Cancel, FewShot, LanguageModel, Scored, Silent};

    /// A deterministic stand-in for a language model: bytes are tokens, and
    /// a token's log-probability depends on it and the one before it.
    struct Fake;

    fn logprob(prev: u32, token: u32) -> Scored {
        let x = ((prev * 31 + token * 17) % 97) as f64;
        Scored {
            logprob: -0.05 - x / 13.0,
            greedy: x < 20.0,
        }
    }

    impl LanguageModel for Fake {
        fn encode(&self, text: &str) -> Result<Vec<u32>> {
            Ok(text.bytes().map(u32::from).collect())
        }
        fn context_length(&self) -> usize {
            64
        }
        fn prefix_token(&self) -> Result<u32> {
            Ok(1)
        }
        fn chunk_bos(&self) -> Option<u32> {
            Some(1)
        }
        fn score(&mut self, tokens: &[u32], from: usize) -> Result<Vec<Scored>> {
            Ok((from..tokens.len())
                .map(|j| logprob(tokens[j - 1], tokens[j]))
                .collect())
        }
        fn score_continuations(
            &mut self,
            context: &[u32],
            continuations: &[Vec<u32>],
        ) -> Result<Vec<Vec<Scored>>> {
            Ok(continuations
                .iter()
                .map(|c| {
                    let whole: Vec<u32> = context.iter().chain(c).copied().collect();
                    (context.len()..whole.len())
                        .map(|j| logprob(whole[j - 1], whole[j]))
                        .collect()
                })
                .collect())
        }
    }

    fn provenance() -> Provenance {
        Provenance {
            model: Reference {
                id: "lab/fake".into(),
                digest: None,
            },
            engine: "commons".into(),
            engine_version: "test".into(),
            date: "2026-01-01T00:00:00Z".into(),
            duration_seconds: 1.0,
        }
    }

    fn run(task: &str, chunked: bool, path: &std::path::Path, shard: ShardSpec) -> Manifest {
        run_settings(Settings {
            task: Task::parse(task, chunked).unwrap(),
            data: path.into(),
            limit: None,
            limit_seed: None,
            fewshot: FewShot::default(),
            ctx: Some(16),
            shard,
        })
    }

    fn run_settings(settings: Settings) -> Manifest {
        Evaluation::prepare(settings)
            .unwrap()
            .run_language_model(&mut Fake, &mut Silent, &Cancel::new())
            .unwrap()
            .to_manifest(&provenance())
    }

    /// `n` generic multiple-choice items in `dir`.
    fn choice_file(dir: &std::path::Path, n: usize) -> std::path::PathBuf {
        let path = dir.join("c.jsonl");
        let lines: String = (0..n)
            .map(|i| format!("{{\"context\": \"item {i} says\", \"choices\": [\"yes\", \"no {i}\", \"maybe so\"], \"gold\": {}}}\n", i % 3))
            .collect();
        std::fs::write(&path, lines).unwrap();
        path
    }

    #[test]
    fn shards_merge_into_the_unsplit_result() {
        let dir = tempfile::tempdir().unwrap();
        let choices = choice_file(dir.path(), 23);
        let text = dir.path().join("t.txt");
        std::fs::write(
            &text,
            "the quick brown fox jumps over the lazy dog; ".repeat(40),
        )
        .unwrap();
        for (task, chunked, path) in [
            ("choice", false, &choices),
            ("perplexity", true, &text),
            ("perplexity", false, &text),
        ] {
            let whole = run(task, chunked, path, ShardSpec::WHOLE);
            let shards: Vec<Manifest> = [3, 1, 4, 2]
                .iter()
                .map(|&index| run(task, chunked, path, ShardSpec { index, count: 4 }))
                .collect();
            let merged = merge(&shards).unwrap();
            let (w, m) = (whole.eval.as_ref().unwrap(), merged.eval.as_ref().unwrap());
            assert_eq!(merged.id, whole.id);
            assert_eq!(m.metrics, w.metrics, "{task}");
            assert_eq!(m.tally, w.tally, "{task}");
            assert_eq!(m.items, w.items);
            assert!(m.shard.is_none());
            assert_eq!(m.duration_seconds, Some(4.0));
            assert!(
                merge(&shards[..3])
                    .unwrap_err()
                    .to_string()
                    .contains("shard(s) 2/4 missing")
            );
            let twice = vec![shards[0].clone(), shards[0].clone()];
            assert!(
                merge(&twice)
                    .unwrap_err()
                    .to_string()
                    .contains("given twice")
            );
        }
        let shards: Vec<Manifest> = [2, 1]
            .iter()
            .map(|&index| run("choice", false, &choices, ShardSpec { index, count: 2 }))
            .collect();
        let digested: Vec<(Manifest, Sha256Hex)> = shards
            .iter()
            .map(|m| (m.clone(), Sha256Hex::of_bytes(m.to_yaml().as_bytes())))
            .collect();
        let mut folded = fold(&digested).unwrap();
        let sources = &folded.eval.as_ref().unwrap().merged_from;
        assert_eq!(sources.len(), 2);
        assert!(sources[0].id.ends_with("-1of2"), "{sources:?}");
        assert_eq!(sources[1].digest.as_ref(), Some(&digested[0].1));
        assert!(recheck(&folded, &shards).unwrap().is_empty());
        let acc = folded
            .eval
            .as_mut()
            .unwrap()
            .metrics
            .get_mut("acc")
            .unwrap();
        acc.value += 0.25;
        assert_eq!(recheck(&folded, &shards).unwrap(), vec!["eval.metrics"]);

        let a = run("choice", false, &choices, ShardSpec { index: 1, count: 2 });
        let b = run("perplexity", true, &text, ShardSpec { index: 2, count: 2 });
        assert!(
            merge(&[a, b])
                .unwrap_err()
                .to_string()
                .contains("differs from shard 1/2")
        );
    }

    #[test]
    fn few_shot_shards_of_a_seeded_limit_merge_into_the_unsplit_result() {
        let dir = tempfile::tempdir().unwrap();
        let choices = choice_file(dir.path(), 40);
        let settings = |fewshot, shard| Settings {
            task: Task::Choice(crate::eval::Preset::Generic),
            data: choices.clone(),
            limit: Some(11),
            limit_seed: Some(7),
            fewshot,
            ctx: Some(63),
            shard,
        };
        let shots = FewShot { shots: 3, seed: 5 };
        let whole = run_settings(settings(shots, ShardSpec::WHOLE));
        let shards: Vec<Manifest> = (1..=3)
            .map(|index| run_settings(settings(shots, ShardSpec { index, count: 3 })))
            .collect();
        let merged = merge(&shards).unwrap();
        let (w, m) = (whole.eval.as_ref().unwrap(), merged.eval.as_ref().unwrap());
        assert_eq!(merged.id, whole.id);
        assert_eq!(m.tally, w.tally);
        assert_eq!(m.metrics, w.metrics);
        assert_eq!(w.items, Some(11));
        assert_eq!(w.config["num_fewshot"], 3);
        assert_eq!(w.config["fewshot_seed"], 5);
        assert_eq!(w.config["limit_seed"], 7);
        // The few-shot settings are part of the id (this bigram model reads
        // only the last context token, so its sums do not show them).
        let zero = run_settings(settings(FewShot::default(), ShardSpec::WHOLE));
        assert_ne!(zero.id, whole.id);
        assert!(
            !zero
                .eval
                .as_ref()
                .unwrap()
                .config
                .contains_key("num_fewshot")
        );
        let reseeded = run_settings(settings(FewShot { shots: 3, seed: 6 }, ShardSpec::WHOLE));
        assert_ne!(reseeded.id, whole.id);
    }

    #[test]
    fn shards_of_different_evaluations_are_refused_by_name() {
        let dir = tempfile::tempdir().unwrap();
        let choices = dir.path().join("c.jsonl");
        let lines: String = (0..6)
            .map(|i| {
                format!("{{\"context\": \"q{i}\", \"choices\": [\"a\", \"b\"], \"gold\": 0}}\n")
            })
            .collect();
        std::fs::write(&choices, lines).unwrap();
        let shard = |index| run("choice", false, &choices, ShardSpec { index, count: 2 });
        let digest = Sha256Hex::of_bytes(b"another model manifest");
        type Edit = (&'static str, fn(&mut EvalSection, &Sha256Hex), &'static str);
        let edits: [Edit; 5] = [
            (
                "model",
                |e, d| e.model.digest = Some(d.clone()),
                "eval.model",
            ),
            (
                "data",
                |e, d| e.data_sha256 = Some(d.clone()),
                "eval.data_sha256",
            ),
            (
                "config",
                |e, _| {
                    e.config.insert("max_length".into(), 8u64.into());
                },
                "eval.config",
            ),
            (
                "engine",
                |e, _| e.engine_version = "candle 9".into(),
                "eval.engine_version",
            ),
            ("task", |e, _| e.task = "piqa".into(), "eval.task"),
        ];
        for (what, edit, field) in edits {
            let mut second = shard(2);
            edit(second.eval.as_mut().unwrap(), &digest);
            let e = merge(&[shard(1), second.clone()]).unwrap_err().to_string();
            assert!(
                e.contains(&format!(
                    "shard 2/2 (`{}`) differs from shard 1/2",
                    second.id
                )) && e.contains(&format!("`{field}`")),
                "{what}: {e}"
            );
        }
        // Shards of another split overlap; an index outside the split, or
        // an absurd count, is refused without allocating for it.
        let third = run("choice", false, &choices, ShardSpec { index: 2, count: 3 });
        let e = merge(&[shard(1), third]).unwrap_err().to_string();
        assert!(e.contains("overlaps the shards of 2"), "{e}");
        let mut huge = shard(1);
        huge.eval.as_mut().unwrap().shard = Some(crate::manifest::Shard {
            index: 1,
            count: u32::MAX,
        });
        let e = merge(&[huge]).unwrap_err().to_string();
        assert!(e.contains("shard(s) 2/4294967295, 3/4294967295"), "{e}");
        assert!(e.contains("more missing"), "{e}");
        let mut zero = shard(1);
        zero.eval.as_mut().unwrap().shard = Some(crate::manifest::Shard { index: 0, count: 2 });
        let e = merge(&[zero]).unwrap_err().to_string();
        assert!(e.contains("is not a shard of 2"), "{e}");
    }

    #[test]
    fn choice_scores_follow_lm_eval() {
        // With the fake model, the generic item below has known sums; acc and
        // acc_norm differ because the choices differ in length.
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("c.jsonl");
        std::fs::write(
            &path,
            "{\"context\": \"Q\", \"choices\": [\"ab\", \"abcdefgh\"], \"gold\": 1}\n",
        )
        .unwrap();
        let mut fake = Fake;
        let mut ll = |choice: &str| -> f64 {
            let ctx = fake.encode("Q").unwrap();
            let cont = fake.encode(&format!(" {choice}")).unwrap();
            fake.score_continuations(&ctx, &[cont]).unwrap()[0]
                .iter()
                .map(|s| s.logprob)
                .sum()
        };
        let (short, long) = (ll("ab"), ll("abcdefgh"));
        let m = run("choice", false, &path, ShardSpec::WHOLE);
        let metrics = &m.eval.as_ref().unwrap().metrics;
        assert_eq!(metrics["acc"].value, if long > short { 1.0 } else { 0.0 });
        assert_eq!(
            metrics["acc_norm"].value,
            if long / 8.0 > short / 2.0 { 1.0 } else { 0.0 }
        );
        assert_ne!(
            metrics["acc"].value, metrics["acc_norm"].value,
            "the example should separate acc from acc_norm"
        );
    }
}
