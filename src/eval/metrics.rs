//! Metrics from a tally, defined as the reference tools define them.
//!
//! - `acc`, `acc_norm`: the mean of per-item 0/1 scores, with the standard
//!   error of the mean using the sample standard deviation (lm-evaluation-harness
//!   `mean_stderr`);
//! - rolling perplexity: `word_perplexity` = exp(−ΣLL/Σwords),
//!   `byte_perplexity` = exp(−ΣLL/Σbytes), `bits_per_byte` = −ΣLL/Σbytes/ln 2
//!   (lm-evaluation-harness `weighted_perplexity`, `bits_per_byte`);
//! - chunked perplexity: exp of the mean negative log-likelihood over scored
//!   tokens, ± the standard error llama.cpp prints (PPL × stderr of the mean NLL);
//! - LAMBADA `perplexity`: exp(−mean of the continuation log-likelihoods);
//! - STS: Spearman (average ranks for ties) and Pearson correlation of cosine
//!   similarity with the gold scores.

use std::collections::BTreeMap;

use crate::manifest::Metric;

use super::Tally;
use super::task::Scoring;

pub type Metrics = BTreeMap<String, Metric>;

/// Tally names shared by the runners and this module.
pub mod names {
    pub const ITEMS: &str = "items";
    pub const CORRECT: &str = "correct";
    pub const CORRECT_NORM: &str = "correct_norm";
    pub const LOGLIKELIHOOD: &str = "loglikelihood";
    pub const WORDS: &str = "words";
    pub const BYTES: &str = "bytes";
    pub const TOKENS: &str = "tokens";
    pub const NLL: &str = "nll";
    pub const NLL_SQUARED: &str = "nll_squared";
    pub const COSINE: &str = "cosine";
    pub const GOLD: &str = "gold";
}

use names::*;

/// Every metric of a task, computed from its tally.
pub fn compute(scoring: Scoring, t: &Tally) -> Metrics {
    let mut m = Metrics::new();
    match scoring {
        Scoring::Choice { norm } => {
            m.insert("acc".into(), mean_of_binary(t.sum(CORRECT), t.sum(ITEMS)));
            if norm {
                m.insert(
                    "acc_norm".into(),
                    mean_of_binary(t.sum(CORRECT_NORM), t.sum(ITEMS)),
                );
            }
        }
        Scoring::LastWord => {
            m.insert("acc".into(), mean_of_binary(t.sum(CORRECT), t.sum(ITEMS)));
            m.insert(
                "perplexity".into(),
                plain((-t.sum(LOGLIKELIHOOD) / t.sum(ITEMS)).exp()),
            );
        }
        Scoring::Rolling => {
            let ll = t.sum(LOGLIKELIHOOD);
            m.insert("word_perplexity".into(), plain((-ll / t.sum(WORDS)).exp()));
            m.insert("byte_perplexity".into(), plain((-ll / t.sum(BYTES)).exp()));
            m.insert(
                "bits_per_byte".into(),
                plain(-ll / t.sum(BYTES) / std::f64::consts::LN_2),
            );
            m.insert(
                "token_perplexity".into(),
                plain((-ll / t.sum(TOKENS)).exp()),
            );
        }
        Scoring::Chunked => {
            let n = t.sum(TOKENS);
            let mean = t.sum(NLL) / n;
            let variance = t.sum(NLL_SQUARED) / n - mean * mean;
            let ppl = mean.exp();
            let stderr = (variance > 0.0 && n > 1.0).then(|| ppl * (variance / (n - 1.0)).sqrt());
            m.insert("perplexity".into(), Metric { value: ppl, stderr });
        }
        Scoring::Similarity => {
            let (x, y) = (t.series(COSINE), t.series(GOLD));
            m.insert("spearman".into(), plain(pearson(&ranks(x), &ranks(y))));
            m.insert("pearson".into(), plain(pearson(x, y)));
        }
    }
    m
}

/// The headline metric shown while a task runs.
pub fn headline(scoring: Scoring) -> &'static str {
    match scoring {
        Scoring::Choice { norm: true } => "acc_norm",
        Scoring::Choice { norm: false } | Scoring::LastWord => "acc",
        Scoring::Rolling => "word_perplexity",
        Scoring::Chunked => "perplexity",
        Scoring::Similarity => "spearman",
    }
}

fn plain(value: f64) -> Metric {
    Metric {
        value,
        stderr: None,
    }
}

/// Mean of `n` scores of 0 or 1 summing to `k`, with the standard error of
/// the mean computed from the sample (n − 1) standard deviation.
fn mean_of_binary(k: f64, n: f64) -> Metric {
    let p = k / n;
    let stderr = (n > 1.0).then(|| (p * (1.0 - p) / (n - 1.0)).sqrt());
    Metric { value: p, stderr }
}

/// Pearson's correlation coefficient.
pub fn pearson(x: &[f64], y: &[f64]) -> f64 {
    let n = x.len() as f64;
    let (mx, my) = (x.iter().sum::<f64>() / n, y.iter().sum::<f64>() / n);
    let (mut sxy, mut sxx, mut syy) = (0.0, 0.0, 0.0);
    for (a, b) in x.iter().zip(y) {
        let (dx, dy) = (a - mx, b - my);
        sxy += dx * dy;
        sxx += dx * dx;
        syy += dy * dy;
    }
    sxy / (sxx * syy).sqrt()
}

/// 1-based ranks, ties sharing the average of their ranks.
pub fn ranks(values: &[f64]) -> Vec<f64> {
    let mut order: Vec<usize> = (0..values.len()).collect();
    order.sort_by(|&a, &b| values[a].total_cmp(&values[b]));
    let mut out = vec![0.0; values.len()];
    let mut i = 0;
    while i < order.len() {
        let mut j = i;
        while j + 1 < order.len() && values[order[j + 1]] == values[order[i]] {
            j += 1;
        }
        let rank = (i + j) as f64 / 2.0 + 1.0;
        for &k in &order[i..=j] {
            out[k] = rank;
        }
        i = j + 1;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ranks_average_ties() {
        assert_eq!(ranks(&[10.0, 20.0, 10.0, 30.0]), vec![1.5, 3.0, 1.5, 4.0]);
    }

    #[test]
    fn spearman_matches_a_hand_computed_value() {
        // scipy.stats.spearmanr([1,2,3,4,5],[5,6,7,8,7]) = 0.8207826816681233
        let (x, y) = ([1.0, 2.0, 3.0, 4.0, 5.0], [5.0, 6.0, 7.0, 8.0, 7.0]);
        assert!((pearson(&ranks(&x), &ranks(&y)) - 0.820_782_681_668_123_3).abs() < 1e-12);
    }

    #[test]
    fn binary_stderr_uses_the_sample_deviation() {
        // scores 1,1,0,0: sample sd = sqrt(1/3), stderr = sd / 2
        let m = mean_of_binary(2.0, 4.0);
        assert_eq!(m.value, 0.5);
        assert!((m.stderr.unwrap() - (1.0f64 / 3.0).sqrt() / 2.0).abs() < 1e-15);
    }

    #[test]
    fn rolling_perplexities_follow_their_definitions() {
        let mut t = Tally::new();
        t.add(LOGLIKELIHOOD, -100.0);
        t.add(WORDS, 20.0);
        t.add(BYTES, 80.0);
        t.add(TOKENS, 25.0);
        let m = compute(Scoring::Rolling, &t);
        assert!((m["word_perplexity"].value - 5f64.exp()).abs() < 1e-9);
        assert!((m["byte_perplexity"].value - 1.25f64.exp()).abs() < 1e-12);
        assert!((m["bits_per_byte"].value - 1.25 / std::f64::consts::LN_2).abs() < 1e-12);
        assert!((m["token_perplexity"].value - 4f64.exp()).abs() < 1e-12);
    }

    #[test]
    fn chunked_perplexity_has_llama_cpp_stderr() {
        let nll = [2.0, 3.0, 4.0, 3.0];
        let mut t = Tally::new();
        for v in nll {
            t.add(NLL, v);
            t.add(NLL_SQUARED, v * v);
            t.add(TOKENS, 1.0);
        }
        let m = &compute(Scoring::Chunked, &t)["perplexity"];
        assert!((m.value - 3f64.exp()).abs() < 1e-9);
        // population variance 0.5, stderr of the mean sqrt(0.5/3)
        assert!((m.stderr.unwrap() - 3f64.exp() * (0.5f64 / 3.0).sqrt()).abs() < 1e-9);
    }
}
