//! Deterministic shards of an evaluation.
//!
//! Shard `k` of `n` takes the `k`-th of `n` contiguous, nearly equal slices of
//! the items (after `--limit`). Contiguous slices keep item order when shards
//! are merged back in order, which is what makes a merge reproduce one
//! unsplit run exactly, order-sensitive metrics included.

use std::fmt;
use std::ops::Range;
use std::str::FromStr;

use super::EvalError;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ShardSpec {
    /// 1-based.
    pub index: u32,
    pub count: u32,
}

impl ShardSpec {
    /// The whole evaluation as a single shard.
    pub const WHOLE: ShardSpec = ShardSpec { index: 1, count: 1 };

    /// The items of this shard among `items`.
    pub fn range(self, items: usize) -> Range<usize> {
        let (k, n) = (self.index as usize, self.count as usize);
        (k - 1) * items / n..k * items / n
    }
}

impl FromStr for ShardSpec {
    type Err = EvalError;

    fn from_str(s: &str) -> Result<ShardSpec, EvalError> {
        let bad = || {
            EvalError::Usage(format!(
                "`{s}` is not a shard: expected K/N with 1 <= K <= N, e.g. 2/4"
            ))
        };
        let (k, n) = s.split_once('/').ok_or_else(bad)?;
        let index: u32 = k.trim().parse().map_err(|_| bad())?;
        let count: u32 = n.trim().parse().map_err(|_| bad())?;
        if index == 0 || count == 0 || index > count {
            return Err(bad());
        }
        Ok(ShardSpec { index, count })
    }
}

impl fmt::Display for ShardSpec {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{}", self.index, self.count)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shards_partition_the_items_in_order() {
        for items in [0, 1, 7, 100, 10042] {
            for count in 1..=9 {
                let mut next = 0;
                for index in 1..=count {
                    let r = ShardSpec { index, count }.range(items);
                    assert_eq!(r.start, next);
                    assert!(r.len() <= items.div_ceil(count as usize));
                    next = r.end;
                }
                assert_eq!(next, items);
            }
        }
    }

    #[test]
    fn parses_and_rejects() {
        assert_eq!(
            "2/4".parse::<ShardSpec>().unwrap(),
            ShardSpec { index: 2, count: 4 }
        );
        for bad in ["0/4", "5/4", "2", "a/b", "1/0"] {
            assert!(bad.parse::<ShardSpec>().is_err(), "{bad}");
        }
    }
}
