//! Choosing the next token from logits, the way llama.cpp's default sampler
//! chain does: the repetition penalty over the last tokens first, then
//! top-k, top-p (nucleus) and min-p on the model's own distribution, then the
//! temperature, then a draw from a seeded generator — so that the same seed
//! always gives the same sample. Temperature 0 takes the most likely token
//! after the penalty.

use std::collections::VecDeque;

/// How tokens are chosen.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct SamplingParams {
    /// 0 picks the most likely token every time.
    pub temperature: f32,
    /// Sample only from the smallest set of tokens whose probability reaches this.
    pub top_p: f32,
    pub seed: u64,
    /// Sample only from the K most likely tokens; 0 keeps them all.
    pub top_k: usize,
    /// Drop tokens less likely than this fraction of the most likely one.
    pub min_p: f32,
    /// Divides the (positive) logits of recently seen tokens; 1 is off.
    pub repeat_penalty: f32,
    /// How many of the latest tokens the penalty looks back on.
    pub repeat_last_n: usize,
}

impl Default for SamplingParams {
    fn default() -> SamplingParams {
        SamplingParams {
            temperature: 0.0,
            top_p: 1.0,
            seed: 0,
            top_k: 0,
            min_p: 0.0,
            repeat_penalty: 1.0,
            repeat_last_n: 64,
        }
    }
}

/// A sampler holding its random state and the latest tokens across one
/// generation.
pub struct Sampler {
    params: SamplingParams,
    state: u64,
    recent: VecDeque<u32>,
}

impl Sampler {
    pub fn new(params: SamplingParams) -> Sampler {
        Sampler {
            params,
            state: params.seed ^ 0x9e37_79b9_7f4a_7c15,
            recent: VecDeque::with_capacity(params.repeat_last_n),
        }
    }

    /// Notes a token of the sequence (prompt or generated) for the
    /// repetition penalty.
    pub fn accept(&mut self, token: u32) {
        if self.params.repeat_last_n == 0 {
            return;
        }
        if self.recent.len() == self.params.repeat_last_n {
            self.recent.pop_front();
        }
        self.recent.push_back(token);
    }

    pub fn sample(&mut self, logits: &[f32]) -> u32 {
        let mut logits = std::borrow::Cow::Borrowed(logits);
        if self.params.repeat_penalty != 1.0 && !self.recent.is_empty() {
            penalise(logits.to_mut(), &self.recent, self.params.repeat_penalty);
        }
        if self.params.temperature <= 0.0 {
            return argmax(&logits) as u32;
        }
        let candidates = self.candidates(&logits);
        self.draw(&candidates)
    }

    /// The tokens left by top-k, top-p and min-p, with their
    /// temperature-scaled weights: most likely first where top-k or top-p
    /// cut, in vocabulary order otherwise. Only what a cut needs is sorted
    /// (a partial selection, then the part kept), not the whole vocabulary
    /// at every token.
    fn candidates(&self, logits: &[f32]) -> Vec<(u32, f32)> {
        let p = &self.params;
        let mut probs = probabilities(logits);
        if p.top_k > 0 {
            sort_head(&mut probs, p.top_k);
            probs.truncate(p.top_k);
        }
        if p.top_p < 1.0 {
            // In double precision: the same total whatever the order the
            // selection left the tokens in.
            let total = probs.iter().map(|c| f64::from(c.1)).sum::<f64>() as f32;
            let mut head = 64;
            let keep = loop {
                let head_len = sort_head(&mut probs, head);
                let mut mass = 0.0;
                let found = probs[..head_len].iter().position(|c| {
                    mass += c.1 / total;
                    mass >= p.top_p
                });
                match found {
                    Some(i) => break i + 1,
                    None if head_len == probs.len() => break head_len,
                    None => head *= 8,
                }
            };
            probs.truncate(keep);
        }
        let max = logits.iter().fold(f32::NEG_INFINITY, |m, &v| m.max(v));
        if p.min_p > 0.0 {
            let best = probs.iter().fold(0f32, |m, c| m.max(c.1));
            probs.retain(|c| c.1 >= best * p.min_p);
        }
        probs
            .iter()
            .map(|&(id, _)| (id, ((logits[id as usize] - max) / p.temperature).exp()))
            .collect()
    }

    fn draw(&mut self, weights: &[(u32, f32)]) -> u32 {
        let mass: f32 = weights.iter().map(|p| p.1).sum();
        let mut target = self.next_f32() * mass;
        for &(id, p) in weights {
            if target < p {
                return id;
            }
            target -= p;
        }
        weights.last().map(|p| p.0).unwrap_or(0)
    }

    /// splitmix64, uniform in [0, 1).
    fn next_f32(&mut self) -> f32 {
        self.state = self.state.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.state;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^= z >> 31;
        (z >> 40) as f32 / (1u64 << 24) as f32
    }
}

/// Index of the largest value (the first one on ties).
pub fn argmax(values: &[f32]) -> usize {
    let mut best = 0;
    for (i, &v) in values.iter().enumerate() {
        if v > values[best] {
            best = i;
        }
    }
    best
}

/// llama.cpp's repetition penalty: each distinct recent token's logit is
/// divided by `penalty` when positive, multiplied when negative.
fn penalise(logits: &mut [f32], recent: &VecDeque<u32>, penalty: f32) {
    let mut seen = std::collections::HashSet::new();
    for &t in recent {
        if let Some(l) = logits.get_mut(t as usize).filter(|_| seen.insert(t)) {
            *l = if *l > 0.0 { *l / penalty } else { *l * penalty };
        }
    }
}

/// Puts the `n` most likely of `probs` first, most likely first (ties by
/// token id, so the order is total), and returns how many that is (at most
/// `probs.len()`); the rest follow in no particular order.
fn sort_head(probs: &mut [(u32, f32)], n: usize) -> usize {
    let first = |a: &(u32, f32), b: &(u32, f32)| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0));
    let n = n.min(probs.len());
    if n > 0 && n < probs.len() {
        probs.select_nth_unstable_by(n - 1, first);
    }
    probs[..n].sort_by(first);
    n
}

/// `(token, probability)` of every token.
fn probabilities(logits: &[f32]) -> Vec<(u32, f32)> {
    let max = logits.iter().fold(f32::NEG_INFINITY, |m, &v| m.max(v));
    let mut probs: Vec<(u32, f32)> = logits
        .iter()
        .enumerate()
        .map(|(i, &l)| (i as u32, (l - max).exp()))
        .collect();
    let total: f32 = probs.iter().map(|p| p.1).sum();
    probs.iter_mut().for_each(|p| p.1 /= total);
    probs
}

/// `log softmax(logits)[target]`.
#[cfg(test)]
pub fn log_prob(logits: &[f32], target: usize) -> f32 {
    let (max, _, sum) = super::vector::softmax_stats(logits);
    (logits[target] - max) - sum.ln() as f32
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The candidates as a full sort of the vocabulary gives them.
    fn sorted_candidates(p: &SamplingParams, logits: &[f32]) -> Vec<(u32, f32)> {
        let mut probs = probabilities(logits);
        probs.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
        if p.top_k > 0 {
            probs.truncate(p.top_k);
        }
        if p.top_p < 1.0 {
            let total = probs.iter().map(|c| f64::from(c.1)).sum::<f64>() as f32;
            let mut mass = 0.0;
            let keep = probs
                .iter()
                .position(|c| {
                    mass += c.1 / total;
                    mass >= p.top_p
                })
                .map_or(probs.len(), |i| i + 1);
            probs.truncate(keep);
        }
        if p.min_p > 0.0 {
            let floor = probs[0].1 * p.min_p;
            probs.retain(|c| c.1 >= floor);
        }
        let max = logits[probs[0].0 as usize];
        probs
            .iter()
            .map(|&(id, _)| (id, ((logits[id as usize] - max) / p.temperature).exp()))
            .collect()
    }

    #[test]
    fn partial_selection_keeps_what_a_full_sort_keeps() {
        // Vocabularies with ties, nuclei inside and far past the first
        // selection, every cut alone and together.
        for (n, spread) in [(50, 0.3), (5_000, 0.01), (5_000, 2.0), (70_000, 0.001)] {
            let logits: Vec<f32> = (0..n)
                .map(|i: u64| ((i * 7919 % 1013) as f32 * spread).sin() * 4.0)
                .collect();
            for (top_k, top_p, min_p) in [
                (0, 1.0, 0.0),
                (40, 1.0, 0.0),
                (0, 0.9, 0.0),
                (0, 0.999, 0.0),
                (0, 1.0, 0.05),
                (40, 0.95, 0.05),
                (100_000, 0.5, 0.0),
            ] {
                let p = SamplingParams {
                    temperature: 0.8,
                    top_k,
                    top_p,
                    min_p,
                    ..SamplingParams::default()
                };
                let mut got = Sampler::new(p).candidates(&logits);
                let mut want = sorted_candidates(&p, &logits);
                let cut = top_k > 0 || top_p < 1.0;
                if !cut {
                    want.sort_by_key(|c| c.0);
                    got.sort_by_key(|c| c.0);
                }
                let case = format!("{n} tokens, top-k {top_k}, top-p {top_p}, min-p {min_p}");
                assert_eq!(got.len(), want.len(), "{case}: how many are kept");
                if let Some(i) = (0..got.len()).find(|&i| got[i] != want[i]) {
                    panic!("{case}: candidate {i} is {:?}, not {:?}", got[i], want[i]);
                }
            }
        }
    }

    #[test]
    fn greedy_takes_the_first_maximum() {
        let mut s = Sampler::new(SamplingParams::default());
        assert_eq!(s.sample(&[0.1, 3.0, 3.0, -1.0]), 1);
    }

    #[test]
    fn same_seed_same_samples() {
        let logits: Vec<f32> = (0..50).map(|i| (i % 7) as f32 * 0.3).collect();
        let params = SamplingParams {
            temperature: 1.0,
            top_p: 0.9,
            seed: 42,
            ..SamplingParams::default()
        };
        let run = |p| {
            let mut s = Sampler::new(p);
            (0..20).map(|_| s.sample(&logits)).collect::<Vec<_>>()
        };
        assert_eq!(run(params), run(params));
        assert_ne!(run(params), run(SamplingParams { seed: 43, ..params }));
    }

    #[test]
    fn top_p_keeps_only_the_nucleus() {
        let logits = [10.0, 9.0, -10.0, -10.0];
        let mut s = Sampler::new(SamplingParams {
            temperature: 1.0,
            top_p: 0.5,
            seed: 1,
            ..SamplingParams::default()
        });
        assert!((0..100).all(|_| s.sample(&logits) == 0));
    }

    fn hot(seed: u64) -> SamplingParams {
        SamplingParams {
            temperature: 5.0,
            seed,
            ..SamplingParams::default()
        }
    }

    #[test]
    fn top_k_keeps_the_k_most_likely() {
        let logits = [1.0, 3.0, 2.0, 2.5, -1.0];
        let mut one = Sampler::new(SamplingParams { top_k: 1, ..hot(7) });
        assert!((0..200).all(|_| one.sample(&logits) == 1));
        let mut two = Sampler::new(SamplingParams { top_k: 2, ..hot(7) });
        let drawn: std::collections::BTreeSet<u32> =
            (0..400).map(|_| two.sample(&logits)).collect();
        assert_eq!(drawn, [1, 3].into());
    }

    #[test]
    fn min_p_drops_tokens_far_below_the_best() {
        // Probabilities ~ 0.64, 0.24, 0.09, 0.03: min-p 0.2 keeps the first two.
        let logits = [3.0, 2.0, 1.0, 0.0];
        let mut s = Sampler::new(SamplingParams {
            min_p: 0.2,
            ..hot(3)
        });
        let drawn: std::collections::BTreeSet<u32> = (0..400).map(|_| s.sample(&logits)).collect();
        assert_eq!(drawn, [0, 1].into());
    }

    #[test]
    fn the_repeat_penalty_turns_greedy_away_from_recent_tokens() {
        let logits = [2.0, 1.5, -1.0];
        let params = SamplingParams {
            repeat_penalty: 1.5,
            repeat_last_n: 2,
            ..SamplingParams::default()
        };
        let mut s = Sampler::new(params);
        assert_eq!(s.sample(&logits), 0);
        s.accept(0);
        // 2.0 / 1.5 < 1.5: the second token wins.
        assert_eq!(s.sample(&logits), 1);
        s.accept(1);
        s.accept(2);
        // Token 0 fell out of the last 2.
        assert_eq!(s.sample(&logits), 0);
        // A negative logit is multiplied, pushed further down.
        let mut v = [-1.0f32, 1.0];
        penalise(&mut v, &[0, 0, 1].into(), 2.0);
        assert_eq!(v, [-2.0, 0.5]);
    }

    #[test]
    fn log_probs_normalise() {
        let logits = [1.0f32, 2.0, 3.0];
        let total: f32 = (0..3).map(|i| log_prob(&logits, i).exp()).sum();
        assert!((total - 1.0).abs() < 1e-5);
    }
}
