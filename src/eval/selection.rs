//! Which items an evaluation scores before it is sharded: all of them, the
//! first `--limit N`, or `N` drawn with `--limit-seed S`.
//!
//! A seeded limit is `sorted(random.Random(S).sample(range(TOTAL), N))`, so
//! one line of Python names the items a result covers. Shards then take
//! contiguous slices of this list (see [`super::shard`]).

use super::pyrandom::PyRandom;

/// The indices, in order, of the items kept among `total` by `limit` (at most
/// `total` of them) and `seed`.
pub fn limited(total: usize, limit: Option<usize>, seed: Option<u64>) -> Vec<usize> {
    let n = limit.map_or(total, |l| l.min(total));
    match seed {
        None => (0..n).collect(),
        Some(seed) => {
            let mut drawn = PyRandom::new(seed).sample(total, n);
            drawn.sort_unstable();
            drawn
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_seeded_limit_is_pythons_sorted_sample() {
        for (total, n, seed) in [(10042, 5, 7), (30, 12, 1234), (20, 20, 3), (100, 40, 0)] {
            let expected: Vec<usize> = crate::eval::pyrandom::python(&format!(
                "import random\nprint(*sorted(random.Random({seed}).sample(range({total}), {n})))"
            ))
            .split_whitespace()
            .map(|x| x.parse().unwrap())
            .collect();
            assert_eq!(
                limited(total, Some(n), Some(seed)),
                expected,
                "{total} {n} {seed}"
            );
        }
        assert_eq!(limited(5, Some(3), None), vec![0, 1, 2]);
        assert_eq!(limited(3, Some(9), None), vec![0, 1, 2]);
        assert_eq!(limited(3, Some(9), Some(1)), vec![0, 1, 2]);
        assert_eq!(limited(4, None, Some(1)), vec![0, 1, 2, 3]);
    }
}
