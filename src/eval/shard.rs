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

/// What `--shard` asks for: a fixed `K/N`, or `auto` (`auto/N`): the index
/// (and count) that a job array gives each of its tasks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ShardRequest {
    Fixed(ShardSpec),
    Auto { count: Option<u32> },
}

/// Where `--shard auto` reads the count when the engine does not give it
/// (a Kubernetes Indexed Job: set it beside `completions` in the job spec).
pub const COUNT_VARIABLE: &str = "COMMONS_SHARD_COUNT";

impl FromStr for ShardRequest {
    type Err = EvalError;

    fn from_str(s: &str) -> Result<ShardRequest, EvalError> {
        let Some(rest) = s.strip_prefix("auto") else {
            return s.parse().map(ShardRequest::Fixed);
        };
        let count = match rest.strip_prefix('/') {
            None if rest.is_empty() => None,
            Some(n) => Some(positive(n, "--shard auto/N")?),
            None => {
                return Err(EvalError::Usage(format!(
                    "`{s}` is not a shard: expected K/N, auto or auto/N"
                )));
            }
        };
        Ok(ShardRequest::Auto { count })
    }
}

fn positive(text: &str, what: &str) -> Result<u32, EvalError> {
    text.trim()
        .parse::<u32>()
        .ok()
        .filter(|n| *n > 0)
        .ok_or_else(|| EvalError::Usage(format!("{what}: `{text}` is not a positive whole number")))
}

impl ShardRequest {
    /// The shard this process evaluates. `var` looks up an environment
    /// variable: Slurm's `SLURM_ARRAY_TASK_ID` (with `_MIN`, `_STEP` and
    /// `_COUNT`, so `--array=0-15` and `--array=1-16` both give shards
    /// 1..16 of 16) or a Kubernetes Indexed Job's `JOB_COMPLETION_INDEX`
    /// (0-based; the count from `auto/N` or `COMMONS_SHARD_COUNT`).
    pub fn resolve(self, var: impl Fn(&str) -> Option<String>) -> Result<ShardSpec, EvalError> {
        let count = match self {
            ShardRequest::Fixed(spec) => return Ok(spec),
            ShardRequest::Auto { count } => count,
        };
        let number = |name: &str| -> Result<Option<u32>, EvalError> {
            var(name)
                .map(|v| {
                    v.trim().parse::<u32>().map_err(|_| {
                        EvalError::Usage(format!(
                            "--shard auto: ${name} is `{v}`, not a whole number"
                        ))
                    })
                })
                .transpose()
        };
        let slurm = number("SLURM_ARRAY_TASK_ID")?;
        let indexed = number("JOB_COMPLETION_INDEX")?;
        // The index, where it comes from, and the count the engine gives
        // with the variable that gives it.
        let (index, source, engine_count) = match (slurm, indexed) {
            (Some(id), None) => {
                let min = number("SLURM_ARRAY_TASK_MIN")?.unwrap_or(0);
                let step = number("SLURM_ARRAY_TASK_STEP")?.unwrap_or(1).max(1);
                let offset = id.checked_sub(min).ok_or_else(|| {
                    EvalError::Usage(format!(
                        "--shard auto: $SLURM_ARRAY_TASK_ID {id} is below $SLURM_ARRAY_TASK_MIN {min}"
                    ))
                })?;
                if offset % step != 0 {
                    return Err(EvalError::Usage(format!(
                        "--shard auto: $SLURM_ARRAY_TASK_ID {id} is not on the array's steps \
                         ($SLURM_ARRAY_TASK_MIN {min}, $SLURM_ARRAY_TASK_STEP {step})"
                    )));
                }
                let count = match number("SLURM_ARRAY_TASK_COUNT")? {
                    Some(n) => Some((n, "$SLURM_ARRAY_TASK_COUNT")),
                    None => number("SLURM_ARRAY_TASK_MAX")?
                        .filter(|max| *max >= min)
                        .map(|max| ((max - min) / step + 1, "$SLURM_ARRAY_TASK_MAX")),
                };
                (offset / step + 1, "SLURM_ARRAY_TASK_ID", count)
            }
            (None, Some(i)) => (
                i + 1,
                "JOB_COMPLETION_INDEX",
                number(COUNT_VARIABLE)?.map(|n| (n, "$COMMONS_SHARD_COUNT")),
            ),
            (Some(_), Some(_)) => {
                return Err(EvalError::Usage(
                    "--shard auto: both $SLURM_ARRAY_TASK_ID and $JOB_COMPLETION_INDEX are set; pass --shard K/N".into(),
                ));
            }
            (None, None) => {
                return Err(EvalError::Usage(
                    "--shard auto found no job-array index: it reads $SLURM_ARRAY_TASK_ID (a Slurm job array) \
                     or $JOB_COMPLETION_INDEX (a Kubernetes Indexed Job); elsewhere (a GitHub Actions matrix, \
                     one machine) pass --shard K/N"
                        .into(),
                ));
            }
        };
        let (count, counted_by) = match (count, engine_count) {
            (Some(n), Some((m, variable))) if n != m => {
                return Err(EvalError::Usage(format!(
                    "--shard auto/{n}: {variable} says the count is {m}; pass --shard auto, or make them agree"
                )));
            }
            (Some(n), _) => (n, "--shard auto/N"),
            (None, Some(found)) => found,
            (None, None) => {
                return Err(EvalError::Usage(format!(
                    "--shard auto: ${source} gives the index but nothing gives the count: pass --shard auto/N or set ${COUNT_VARIABLE}"
                )));
            }
        };
        if count == 0 || index > count {
            return Err(EvalError::Usage(format!(
                "--shard auto: ${source} makes this shard {index}, beyond the count {count} of {counted_by}"
            )));
        }
        Ok(ShardSpec { index, count })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn auto(request: &str, vars: &[(&str, &str)]) -> Result<ShardSpec, EvalError> {
        request.parse::<ShardRequest>()?.resolve(|name| {
            vars.iter()
                .find(|(k, _)| *k == name)
                .map(|(_, v)| v.to_string())
        })
    }

    #[test]
    fn auto_reads_the_job_array_index() {
        let shard = |index, count| ShardSpec { index, count };
        // sbatch --array=0-15: tasks 0..15, count 16.
        let slurm = [
            ("SLURM_ARRAY_TASK_ID", "0"),
            ("SLURM_ARRAY_TASK_COUNT", "16"),
            ("SLURM_ARRAY_TASK_MIN", "0"),
        ];
        assert_eq!(auto("auto", &slurm).unwrap(), shard(1, 16));
        // --array=1-16 numbers from 1; --array=0-30:2 steps by 2.
        let from_one = [
            ("SLURM_ARRAY_TASK_ID", "16"),
            ("SLURM_ARRAY_TASK_COUNT", "16"),
            ("SLURM_ARRAY_TASK_MIN", "1"),
        ];
        assert_eq!(auto("auto", &from_one).unwrap(), shard(16, 16));
        let stepped = [
            ("SLURM_ARRAY_TASK_ID", "30"),
            ("SLURM_ARRAY_TASK_COUNT", "16"),
            ("SLURM_ARRAY_TASK_MIN", "0"),
            ("SLURM_ARRAY_TASK_STEP", "2"),
        ];
        assert_eq!(auto("auto", &stepped).unwrap(), shard(16, 16));
        // Without the count, Slurm's MIN/MAX/STEP give it.
        assert!(
            auto("auto", &stepped[..1])
                .unwrap_err()
                .to_string()
                .contains("nothing gives the count")
        );
        let bounded = [
            ("SLURM_ARRAY_TASK_ID", "4"),
            ("SLURM_ARRAY_TASK_MIN", "0"),
            ("SLURM_ARRAY_TASK_MAX", "30"),
            ("SLURM_ARRAY_TASK_STEP", "2"),
        ];
        assert_eq!(auto("auto", &bounded).unwrap(), shard(3, 16));
        let k8s = [("JOB_COMPLETION_INDEX", "3"), ("COMMONS_SHARD_COUNT", "4")];
        assert_eq!(auto("auto", &k8s).unwrap(), shard(4, 4));
        assert_eq!(auto("auto/8", &k8s[..1]).unwrap(), shard(4, 8));
        assert_eq!(auto("2/5", &k8s).unwrap(), shard(2, 5));
        for (request, vars, says) in [
            (
                "auto",
                &[][..],
                "it reads $SLURM_ARRAY_TASK_ID (a Slurm job array) or $JOB_COMPLETION_INDEX",
            ),
            ("auto", &k8s[..1], "nothing gives the count"),
            (
                "auto/3",
                &k8s[..1],
                "$JOB_COMPLETION_INDEX makes this shard 4, beyond the count 3 of --shard auto/N",
            ),
            (
                "auto",
                &[("JOB_COMPLETION_INDEX", "4"), ("COMMONS_SHARD_COUNT", "4")][..],
                "beyond the count 4 of $COMMONS_SHARD_COUNT",
            ),
            (
                "auto",
                &[
                    ("SLURM_ARRAY_TASK_ID", "16"),
                    ("SLURM_ARRAY_TASK_COUNT", "16"),
                ][..],
                "$SLURM_ARRAY_TASK_ID makes this shard 17, beyond the count 16 of $SLURM_ARRAY_TASK_COUNT",
            ),
            (
                "auto",
                &[
                    ("SLURM_ARRAY_TASK_ID", "3"),
                    ("SLURM_ARRAY_TASK_STEP", "2"),
                    ("SLURM_ARRAY_TASK_COUNT", "8"),
                ][..],
                "$SLURM_ARRAY_TASK_ID 3 is not on the array's steps",
            ),
            (
                "auto/8",
                &[
                    ("SLURM_ARRAY_TASK_ID", "3"),
                    ("SLURM_ARRAY_TASK_COUNT", "16"),
                ][..],
                "--shard auto/8: $SLURM_ARRAY_TASK_COUNT says the count is 16",
            ),
            (
                "auto",
                &[("SLURM_ARRAY_TASK_ID", "0"), ("SLURM_ARRAY_TASK_MIN", "1")][..],
                "below $SLURM_ARRAY_TASK_MIN",
            ),
            (
                "auto",
                &[("JOB_COMPLETION_INDEX", "x")][..],
                "not a whole number",
            ),
            (
                "auto",
                &[("JOB_COMPLETION_INDEX", "1"), ("SLURM_ARRAY_TASK_ID", "1")][..],
                "both",
            ),
            ("autox", &[][..], "expected K/N, auto or auto/N"),
            ("auto/0", &[][..], "not a positive whole number"),
        ] {
            let e = auto(request, vars).unwrap_err().to_string();
            assert!(e.contains(says), "{request}: {e}");
        }
    }

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
