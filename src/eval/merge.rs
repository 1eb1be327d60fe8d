//! Merging the manifests of the shards of one evaluation.
//!
//! Shards merge when they evaluated the same model (id and digest), task,
//! data, configuration and engine, and together cover shards 1..n exactly
//! once. Their tallies are added in shard order and the metrics recomputed,
//! which gives exactly the numbers of one unsplit run.

use crate::manifest::{EvalSection, Manifest};

use super::metrics;
use super::run::{Outcome, Provenance};
use super::{EvalError, Result, ShardSpec, Tally, Task};

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
    let mut ordered: Vec<Option<(&Manifest, &EvalSection)>> = vec![None; count as usize];
    for &(m, e) in &sections {
        same(first_manifest, first, m, e)?;
        let shard = e
            .shard
            .ok_or_else(|| EvalError::Merge(format!("`{}` is not a shard", m.id)))?;
        if shard.count != count {
            return Err(EvalError::Merge(format!(
                "`{}` is shard {}/{}, but `{}` is one of {count}",
                m.id, shard.index, shard.count, first_manifest.id
            )));
        }
        let slot = &mut ordered[shard.index as usize - 1];
        if let Some((other, _)) = slot {
            return Err(EvalError::Merge(format!(
                "shard {}/{count} is given twice (`{}` and `{}`)",
                shard.index, other.id, m.id
            )));
        }
        *slot = Some((m, e));
    }
    let missing: Vec<String> = ordered
        .iter()
        .enumerate()
        .filter(|(_, s)| s.is_none())
        .map(|(i, _)| format!("{}/{count}", i + 1))
        .collect();
    if !missing.is_empty() {
        return Err(EvalError::Merge(format!(
            "shard(s) {} missing",
            missing.join(", ")
        )));
    }
    let task = Task::parse(&first.task, false).map_err(|e| EvalError::Merge(e.to_string()))?;
    let mut tally = Tally::new();
    let (mut duration, mut date) = (0.0, String::new());
    for (m, e) in ordered.into_iter().flatten() {
        tally.absorb(&Tally::from_record(&e.tally, &m.id)?)?;
        duration += e.duration_seconds.unwrap_or(0.0);
        date = date.max(e.date.clone().unwrap_or_default());
    }
    let outcome = Outcome {
        task,
        metrics: metrics::compute(task.scoring(), &tally),
        items: tally.sum(metrics::names::ITEMS) as u64,
        tally,
        shard: ShardSpec::WHOLE,
        data_sha256: first.data_sha256.clone().ok_or_else(|| {
            EvalError::Merge(format!("`{}` records no data digest", first_manifest.id))
        })?,
        config: first.config.clone(),
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

fn same(
    a_manifest: &Manifest,
    a: &EvalSection,
    b_manifest: &Manifest,
    b: &EvalSection,
) -> Result<()> {
    let checks: [(&str, bool); 6] = [
        ("model", a.model == b.model),
        ("task", a.task == b.task),
        ("data_sha256", a.data_sha256 == b.data_sha256),
        ("config", a.config == b.config),
        ("engine", a.engine == b.engine),
        ("engine_version", a.engine_version == b.engine_version),
    ];
    for (field, equal) in checks {
        if !equal {
            return Err(EvalError::Merge(format!(
                "`{}` and `{}` differ in `eval.{field}`: they are not shards of one evaluation",
                a_manifest.id, b_manifest.id
            )));
        }
    }
    Ok(())
}
