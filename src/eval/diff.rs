//! Two results of one task compared item by item (`commons eval diff`):
//! which items changed, and whether the difference is more than chance.
//!
//! Items are paired by their place in the data and must hash the same in
//! both results. Every metric is computed on the paired items from their
//! samples' values, as [`metrics::compute`] computes it for a whole run.
//!
//! - Accuracies (`acc`, `acc_norm`): McNemar's exact test. Only the items
//!   one result gets right and the other wrong count; under the hypothesis
//!   that both are equally good, each such item is a fair coin, and the
//!   two-sided p-value is twice the binomial tail of the smaller count.
//! - Every metric also gets a paired bootstrap: the paired items are
//!   resampled with replacement `iterations` times (a seeded generator, so
//!   the same inputs give the same figures), the metric computed on both
//!   sides of each resample; the 95 % interval of the difference is its
//!   2.5th and 97.5th percentiles, and for metrics without an exact test
//!   the two-sided p-value is twice the share of resamples on the smaller
//!   side of zero.

use std::collections::BTreeMap;

use serde::Serialize;

use super::metrics::{self, names};
use super::samples::Sample;
use super::task::Scoring;
use super::{EvalError, Result, Tally};

/// How the comparison is made.
#[derive(Debug, Clone, Copy)]
pub struct DiffSettings {
    pub iterations: usize,
    pub seed: u64,
    /// A difference is significant when its p-value is below this.
    pub alpha: f64,
}

impl Default for DiffSettings {
    fn default() -> DiffSettings {
        DiffSettings {
            iterations: 1000,
            seed: 1234,
            alpha: 0.05,
        }
    }
}

/// The comparison of result B with result A.
#[derive(Debug, Clone, Serialize)]
pub struct Comparison {
    /// Items both results scored.
    pub paired: usize,
    /// Items only A scored, and only B.
    pub only_a: usize,
    pub only_b: usize,
    pub metrics: Vec<MetricDiff>,
    /// Items whose correctness changed, per accuracy metric.
    pub changed: BTreeMap<String, Vec<ItemChange>>,
    pub iterations: usize,
    pub seed: u64,
    pub alpha: f64,
}

#[derive(Debug, Clone, Serialize)]
pub struct MetricDiff {
    pub metric: String,
    pub a: f64,
    pub b: f64,
    /// B − A.
    pub delta: f64,
    /// The bootstrap's 95 % interval of B − A.
    pub ci95: [f64; 2],
    pub p_value: f64,
    /// `mcnemar` or `bootstrap`.
    pub test: &'static str,
    pub significant: bool,
    /// Whether a larger value is better.
    pub higher_is_better: bool,
    /// For accuracies: items only A got right, and only B.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub a_only_right: Option<u64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub b_only_right: Option<u64>,
}

/// An item one result got right and the other wrong.
#[derive(Debug, Clone, Serialize)]
pub struct ItemChange {
    pub doc_id: u64,
    pub target: Option<serde_json::Value>,
    pub a_prediction: Option<usize>,
    pub b_prediction: Option<usize>,
    /// Whether B got it right (and A wrong).
    pub b_right: bool,
}

/// Accuracy metrics and the tally sums of their per-item scores.
const ACCURACIES: &[(&str, &str)] = &[("acc", names::CORRECT), ("acc_norm", names::CORRECT_NORM)];

/// Compares the samples of two results of the task scored by `scoring`.
pub fn compare(
    scoring: Scoring,
    a: &[Sample],
    b: &[Sample],
    settings: DiffSettings,
) -> Result<Comparison> {
    let by_id: BTreeMap<u64, &Sample> = b.iter().map(|s| (s.doc_id, s)).collect();
    let mut pairs: Vec<(&Sample, &Sample)> = Vec::new();
    for x in a {
        if let Some(y) = by_id.get(&x.doc_id) {
            if x.doc_hash != y.doc_hash {
                return Err(EvalError::Usage(format!(
                    "item {} is not the same item in both results (document sha256 {} and {}): they evaluated different data",
                    x.doc_id, x.doc_hash, y.doc_hash
                )));
            }
            pairs.push((x, y));
        }
    }
    if pairs.is_empty() {
        return Err(EvalError::Usage(
            "the two results have no item in common".into(),
        ));
    }
    let (cols_a, cols_b) = (
        Columns::of(pairs.iter().map(|p| p.0)),
        Columns::of(pairs.iter().map(|p| p.1)),
    );
    let all: Vec<usize> = (0..pairs.len()).collect();
    let (whole_a, whole_b) = (
        metrics::compute(scoring, &cols_a.tally(&all)),
        metrics::compute(scoring, &cols_b.tally(&all)),
    );
    // Bootstrap: the same resamples for every metric.
    let mut rng = SplitMix64(settings.seed);
    let mut deltas: BTreeMap<String, Vec<f64>> = BTreeMap::new();
    let mut rows = vec![0usize; pairs.len()];
    for _ in 0..settings.iterations {
        for r in rows.iter_mut() {
            *r = rng.below(pairs.len() as u64) as usize;
        }
        let (ma, mb) = (
            metrics::compute(scoring, &cols_a.tally(&rows)),
            metrics::compute(scoring, &cols_b.tally(&rows)),
        );
        for (name, x) in &ma {
            if let Some(y) = mb.get(name) {
                let d = y.value - x.value;
                if d.is_finite() {
                    deltas.entry(name.clone()).or_default().push(d);
                }
            }
        }
    }
    let mut out = Vec::new();
    let mut changed = BTreeMap::new();
    for (name, x) in &whole_a {
        let Some(y) = whole_b.get(name) else { continue };
        let mut d = deltas.remove(name).unwrap_or_default();
        d.sort_by(f64::total_cmp);
        let ci95 = [percentile(&d, 0.025), percentile(&d, 0.975)];
        let higher_is_better = !(name.contains("perplexity") || name == "bits_per_byte");
        let accuracy = ACCURACIES.iter().find(|(m, _)| m == name);
        let (p_value, test, a_only, b_only) = match accuracy {
            Some(&(_, sum)) => {
                let flips = flips(&pairs, sum);
                let a_only = flips.iter().filter(|c| !c.b_right).count() as u64;
                let b_only = flips.len() as u64 - a_only;
                changed.insert(name.clone(), flips);
                (
                    mcnemar_exact(a_only, b_only),
                    "mcnemar",
                    Some(a_only),
                    Some(b_only),
                )
            }
            None => (bootstrap_p(&d), "bootstrap", None, None),
        };
        out.push(MetricDiff {
            metric: name.clone(),
            a: x.value,
            b: y.value,
            delta: y.value - x.value,
            ci95,
            p_value,
            test,
            significant: p_value < settings.alpha,
            higher_is_better,
            a_only_right: a_only,
            b_only_right: b_only,
        });
    }
    Ok(Comparison {
        paired: pairs.len(),
        only_a: a.len() - pairs.len(),
        only_b: b.len() - pairs.len(),
        metrics: out,
        changed,
        iterations: settings.iterations,
        seed: settings.seed,
        alpha: settings.alpha,
    })
}

/// One side's per-item values by name, so that a resample's tally is a
/// few sums over integer columns.
struct Columns {
    /// Each sum's per-item values in units of 2⁻²⁴ (exact: samples hold
    /// quantized values).
    sums: Vec<(String, Vec<i64>)>,
    series: Vec<(String, Vec<f64>)>,
}

impl Columns {
    fn of<'a>(samples: impl Iterator<Item = &'a Sample> + Clone) -> Columns {
        let names: std::collections::BTreeSet<&String> =
            samples.clone().flat_map(|s| s.sums.keys()).collect();
        let series_names: std::collections::BTreeSet<&String> =
            samples.clone().flat_map(|s| s.series.keys()).collect();
        Columns {
            sums: names
                .into_iter()
                .map(|n| {
                    let units = samples
                        .clone()
                        .map(|s| Tally::units(s.sums.get(n).copied().unwrap_or(0.0)))
                        .collect();
                    (n.clone(), units)
                })
                .collect(),
            series: series_names
                .into_iter()
                .map(|n| {
                    let values = samples
                        .clone()
                        .map(|s| s.series.get(n).copied().unwrap_or(f64::NAN))
                        .collect();
                    (n.clone(), values)
                })
                .collect(),
        }
    }

    /// The tally of the items at `rows` (repeats counted again).
    fn tally(&self, rows: &[usize]) -> Tally {
        let mut t = Tally::new();
        for (name, units) in &self.sums {
            t.add_units(name, rows.iter().map(|&r| units[r]).sum());
        }
        for (name, values) in &self.series {
            for &r in rows {
                t.push(name, values[r]);
            }
        }
        t
    }
}

/// The paired items one result got right and the other wrong, by the
/// per-item score `sum` (`correct`, `correct_norm`).
fn flips(pairs: &[(&Sample, &Sample)], sum: &str) -> Vec<ItemChange> {
    let right = |s: &Sample| s.sums.get(sum).is_some_and(|v| *v == 1.0);
    let prediction = |s: &Sample| {
        if sum == names::CORRECT_NORM {
            s.prediction_norm
        } else {
            s.prediction
        }
    };
    pairs
        .iter()
        .filter(|(x, y)| right(x) != right(y))
        .map(|(x, y)| ItemChange {
            doc_id: x.doc_id,
            target: x.target.clone(),
            a_prediction: prediction(x),
            b_prediction: prediction(y),
            b_right: right(y),
        })
        .collect()
}

/// McNemar's exact test: the two-sided binomial p-value of `b` against `c`
/// discordant pairs, p = min(1, 2 · P(X ≤ min(b, c))), X ~ Bin(b + c, ½).
pub fn mcnemar_exact(b: u64, c: u64) -> f64 {
    let n = b + c;
    if n == 0 {
        return 1.0;
    }
    let k = b.min(c);
    // ln C(n, i) built up term by term; the tail summed in linear space
    // relative to ln 2^n.
    let ln2n = n as f64 * std::f64::consts::LN_2;
    let mut ln_choose = 0.0f64;
    let mut tail = 0.0f64;
    for i in 0..=k {
        if i > 0 {
            ln_choose += ((n - i + 1) as f64).ln() - (i as f64).ln();
        }
        tail += (ln_choose - ln2n).exp();
    }
    (2.0 * tail).min(1.0)
}

/// Two-sided bootstrap p-value: twice the share of resampled differences on
/// the smaller side of zero.
fn bootstrap_p(sorted: &[f64]) -> f64 {
    if sorted.is_empty() {
        return 1.0;
    }
    let n = sorted.len() as f64;
    let below = sorted.iter().filter(|d| **d <= 0.0).count() as f64 / n;
    let above = sorted.iter().filter(|d| **d >= 0.0).count() as f64 / n;
    (2.0 * below.min(above)).min(1.0)
}

/// The `q` quantile of sorted values (nearest rank); NaN when empty.
fn percentile(sorted: &[f64], q: f64) -> f64 {
    if sorted.is_empty() {
        return f64::NAN;
    }
    let i = ((q * sorted.len() as f64).ceil() as usize).clamp(1, sorted.len()) - 1;
    sorted[i]
}

/// SplitMix64: a small, seeded, portable generator for the resampling.
struct SplitMix64(u64);

impl SplitMix64 {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform in 0..n, without modulo bias (Lemire's method).
    fn below(&mut self, n: u64) -> u64 {
        loop {
            let m = u128::from(self.next()) * u128::from(n);
            if (m as u64) >= n.wrapping_neg() % n {
                return (m >> 64) as u64;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::digest::Sha256Hex;

    fn choice(doc_id: u64, right: bool, right_norm: bool) -> Sample {
        Sample {
            doc_id,
            doc_hash: Sha256Hex::of_bytes(&doc_id.to_le_bytes()),
            prompt_hash: Sha256Hex::of_bytes(b"p"),
            target: Some(0.into()),
            loglikelihoods: vec![-1.0, -2.0],
            prediction: Some(usize::from(!right)),
            prediction_norm: Some(usize::from(!right_norm)),
            sums: [
                ("items".to_owned(), 1.0),
                ("correct".to_owned(), f64::from(u8::from(right))),
                ("correct_norm".to_owned(), f64::from(u8::from(right_norm))),
            ]
            .into(),
            series: BTreeMap::new(),
        }
    }

    #[test]
    fn mcnemar_matches_the_binomial_tail() {
        // scipy.stats.binomtest(2, 12, 0.5).pvalue = 0.03857421875
        assert!((mcnemar_exact(2, 10) - 0.038_574_218_75).abs() < 1e-12);
        assert!((mcnemar_exact(10, 2) - 0.038_574_218_75).abs() < 1e-12);
        assert_eq!(mcnemar_exact(0, 0), 1.0);
        assert_eq!(mcnemar_exact(5, 5), 1.0);
        // binomtest(0, 20, 0.5).pvalue = 2 * 0.5**20
        assert!((mcnemar_exact(0, 20) - 2.0 * 0.5f64.powi(20)).abs() < 1e-18);
        // Large counts stay finite and tiny.
        let p = mcnemar_exact(4000, 5000);
        assert!(p > 0.0 && p < 1e-20, "{p}");
    }

    #[test]
    fn flips_are_counted_and_tested() {
        // 100 items: both right on 40, A only on 5, B only on 20.
        let mut a = Vec::new();
        let mut b = Vec::new();
        for i in 0..100u64 {
            let (ra, rb) = match i {
                0..40 => (true, true),
                40..45 => (true, false),
                45..65 => (false, true),
                _ => (false, false),
            };
            a.push(choice(i, ra, ra));
            b.push(choice(i, rb, ra));
        }
        let c = compare(
            Scoring::Choice { norm: true },
            &a,
            &b,
            DiffSettings::default(),
        )
        .unwrap();
        assert_eq!(c.paired, 100);
        let acc = c.metrics.iter().find(|m| m.metric == "acc").unwrap();
        assert_eq!((acc.a, acc.b), (0.45, 0.60));
        assert!((acc.delta - 0.15).abs() < 1e-12);
        assert_eq!((acc.a_only_right, acc.b_only_right), (Some(5), Some(20)));
        assert!((acc.p_value - mcnemar_exact(5, 20)).abs() < 1e-15);
        assert!(acc.significant);
        assert!(
            acc.ci95[0] > 0.0 && acc.ci95[1] > acc.ci95[0],
            "{:?}",
            acc.ci95
        );
        assert_eq!(c.changed["acc"].len(), 25);
        // acc_norm did not change at all.
        let norm = c.metrics.iter().find(|m| m.metric == "acc_norm").unwrap();
        assert_eq!(norm.p_value, 1.0);
        assert!(!norm.significant);
        assert!(c.changed["acc_norm"].is_empty());
        // The same seed gives the same interval.
        let again = compare(
            Scoring::Choice { norm: true },
            &a,
            &b,
            DiffSettings::default(),
        )
        .unwrap();
        assert_eq!(again.metrics[0].ci95, c.metrics[0].ci95);
    }

    #[test]
    fn different_items_under_one_id_are_refused() {
        let a = vec![choice(3, true, true)];
        let mut b = vec![choice(3, true, true)];
        b[0].doc_hash = Sha256Hex::of_bytes(b"another item");
        let err = compare(
            Scoring::Choice { norm: true },
            &a,
            &b,
            DiffSettings::default(),
        )
        .unwrap_err()
        .to_string();
        assert!(err.contains("item 3"), "{err}");
    }

    fn doc(doc_id: u64, ll: f64) -> Sample {
        Sample {
            doc_id,
            doc_hash: Sha256Hex::of_bytes(&doc_id.to_le_bytes()),
            prompt_hash: Sha256Hex::of_bytes(b"p"),
            target: None,
            loglikelihoods: vec![ll],
            prediction: None,
            prediction_norm: None,
            sums: [
                ("items".to_owned(), 1.0),
                ("loglikelihood".to_owned(), Tally::quantize(ll)),
                ("words".to_owned(), 100.0),
                ("bytes".to_owned(), 500.0),
                ("tokens".to_owned(), 120.0),
            ]
            .into(),
            series: BTreeMap::new(),
        }
    }

    #[test]
    fn perplexity_differences_are_bootstrapped() {
        // B is better on every document by a clear margin: significant.
        let a: Vec<Sample> = (0..50)
            .map(|i| doc(i, -300.0 - (i % 7) as f64 * 9.0))
            .collect();
        let b: Vec<Sample> = (0..50)
            .map(|i| doc(i, -280.0 - (i % 7) as f64 * 9.0))
            .collect();
        let c = compare(Scoring::Rolling, &a, &b, DiffSettings::default()).unwrap();
        let ppl = c
            .metrics
            .iter()
            .find(|m| m.metric == "word_perplexity")
            .unwrap();
        assert!(ppl.delta < 0.0 && !ppl.higher_is_better);
        assert_eq!(ppl.test, "bootstrap");
        assert!(ppl.significant, "{ppl:?}");
        assert!(ppl.ci95[1] < 0.0);
        // Against itself: no difference.
        let same = compare(Scoring::Rolling, &a, &a, DiffSettings::default()).unwrap();
        assert!(
            same.metrics
                .iter()
                .all(|m| m.delta == 0.0 && !m.significant)
        );
        // Half better, half worse by the same amount: not significant.
        let mixed: Vec<Sample> = a
            .iter()
            .map(|s| {
                let ll = s.loglikelihoods[0] + if s.doc_id % 2 == 0 { 5.0 } else { -5.0 };
                doc(s.doc_id, ll)
            })
            .collect();
        let c = compare(Scoring::Rolling, &a, &mixed, DiffSettings::default()).unwrap();
        let ppl = c
            .metrics
            .iter()
            .find(|m| m.metric == "word_perplexity")
            .unwrap();
        assert!(!ppl.significant, "{ppl:?}");
        assert!(ppl.ci95[0] < 0.0 && ppl.ci95[1] > 0.0);
    }

    #[test]
    fn resampling_is_uniform_enough() {
        let mut rng = SplitMix64(7);
        let mut counts = [0u32; 10];
        for _ in 0..100_000 {
            counts[rng.below(10) as usize] += 1;
        }
        assert!(
            counts.iter().all(|&c| (9_500..10_500).contains(&c)),
            "{counts:?}"
        );
    }
}
