//! A mutation fuzzer for the parsers of untrusted input, on the stable
//! toolchain and inside `cargo test`.
//!
//! Each parser has a `fuzz_*` test beside it that calls [`fuzz`] with a
//! closure feeding it bytes. Inputs start from the seed corpus kept in
//! `tests/fuzz-corpus/<target>/` (hand-made files) and are mutated by
//! stacked edits whose every choice is drawn through
//! [`arbitrary::Unstructured`] from a seeded generator, so a run is
//! reproducible from its seed. A panic is a crash: the input is saved under
//! `target/fuzz-crashes/<target>/` and the test fails naming it. Memory
//! exhaustion is a crash too: the test process aborts.
//!
//! In the test suite each target runs for `COMMONS_FUZZ_SECONDS` (default 2);
//! `scripts/fuzz` runs each for `COMMONS_FUZZ_EXECS` executions.

use std::cell::Cell;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::PathBuf;
use std::sync::Once;
use std::time::{Duration, Instant};

use arbitrary::Unstructured;

/// Integers that break length and offset arithmetic, written over inputs.
const INTERESTING: &[u64] = &[
    0,
    1,
    2,
    7,
    8,
    31,
    32,
    63,
    64,
    127,
    128,
    255,
    256,
    0xffff,
    0x1_0000,
    0x7fff_ffff,
    0x8000_0000,
    0xffff_ffff,
    0x1_0000_0000,
    1 << 26,
    1 << 40,
    (1 << 58) + 1,
    i64::MAX as u64,
    u64::MAX - 63,
    u64::MAX,
];

/// Tokens that change the structure of YAML documents.
pub const YAML_WORDS: &[&[u8]] = &[
    b"[",
    b"]",
    b"{",
    b"}",
    b"- ",
    b": ",
    b"\n",
    b"\n  ",
    b"'",
    b"\"",
    b"&a ",
    b"*a",
    b"!!binary ",
    b"!!str ",
    b"|\n",
    b">-\n",
    b"# ",
    b"~",
    b"null",
    b"<<: ",
    b"---\n",
    b"...\n",
    b"? ",
    b"\t",
    b"\\u0000",
    b"0x",
    b"1e999",
    b"-1",
    b"18446744073709551616",
    b"..",
    b"/",
    b"kind: model\n",
    b"id: ",
    b"license:\n  expression: ",
    b" OR ",
    b"source:\n  hub:\n    revision: ",
    b"files:\n- path: ",
    b"sha256: ",
    b"pieces:\n    size: ",
    b"members:\n- name: ",
    b"policy:\n  quorum: ",
];

/// Tokens that change the structure of JSON documents.
pub const JSON_WORDS: &[&[u8]] = &[
    b"[",
    b"]",
    b"{",
    b"}",
    b",",
    b":",
    b"\"",
    b"\\u0000",
    b"\\ud800",
    b"null",
    b"true",
    b"-1",
    b"1e999",
    b"18446744073709551616",
    b"0",
    b"\"path\":",
    b"\"type\":\"file\"",
    b"\"lfs\":",
    b"\"oid\":",
    b"\"size\":",
    b"\"../",
    b"/",
    b"\"vocab\":",
    b"\"merges\":",
    b"\"model\":",
    b"\"hidden_size\":",
    b"\"num_attention_heads\":",
    b"\"num_key_value_heads\":",
];

/// The largest input the mutator builds.
const MAX_INPUT: usize = 1 << 16;

thread_local! {
    static QUIET: Cell<bool> = const { Cell::new(false) };
}

/// Silences the panic message of inputs under test (they are reported by
/// the fuzzer), leaving every other thread's panics as they were.
fn install_quiet_hook() {
    static ONCE: Once = Once::new();
    ONCE.call_once(|| {
        let previous = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            if !QUIET.with(Cell::get) {
                previous(info);
            }
        }));
    });
}

/// What a run did.
#[derive(Debug)]
pub struct Stats {
    pub executions: u64,
    pub elapsed: Duration,
    pub crashes: Vec<PathBuf>,
    pub slowest: Duration,
}

/// A small deterministic generator (xorshift64*) that feeds `Unstructured`.
struct Entropy(u64);

impl Entropy {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }

    fn fill(&mut self, buf: &mut [u8]) {
        for chunk in buf.chunks_mut(8) {
            let word = self.next().to_le_bytes();
            chunk.copy_from_slice(&word[..chunk.len()]);
        }
    }
}

fn env_number(name: &str) -> Option<u64> {
    std::env::var(name).ok()?.trim().parse().ok()
}

/// The seed corpus of `target`: every file in `tests/fuzz-corpus/<target>/`,
/// plus `extra` inputs made by the caller.
fn corpus(target: &str, extra: Vec<Vec<u8>>) -> Vec<Vec<u8>> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fuzz-corpus")
        .join(target);
    let mut paths: Vec<PathBuf> = std::fs::read_dir(&dir)
        .map(|entries| entries.filter_map(|e| e.ok().map(|e| e.path())).collect())
        .unwrap_or_default();
    paths.sort();
    let mut seeds: Vec<Vec<u8>> = paths.iter().filter_map(|p| std::fs::read(p).ok()).collect();
    seeds.extend(extra);
    assert!(
        !seeds.is_empty(),
        "no seed inputs for fuzz target `{target}` in {}",
        dir.display()
    );
    seeds
}

/// One edit of `input`, every choice drawn from `u`.
fn mutate(
    u: &mut Unstructured<'_>,
    input: &mut Vec<u8>,
    dictionary: &[&[u8]],
    seeds: &[Vec<u8>],
) -> arbitrary::Result<()> {
    let at = |u: &mut Unstructured<'_>, len: usize| u.int_in_range(0..=len);
    match u.int_in_range(0..=8u8)? {
        0 if !input.is_empty() => {
            let i = at(u, input.len() - 1)?;
            input[i] ^= 1 << u.int_in_range(0..=7u8)?;
        }
        1 if !input.is_empty() => {
            let i = at(u, input.len() - 1)?;
            input[i] = u.arbitrary()?;
        }
        2 if !dictionary.is_empty() => {
            let word = *u.choose(dictionary)?;
            let i = at(u, input.len())?;
            input.splice(i..i, word.iter().copied());
        }
        3 if !input.is_empty() => {
            let i = at(u, input.len() - 1)?;
            let n = u.int_in_range(1..=16usize)?.min(input.len() - i);
            input.drain(i..i + n);
        }
        4 if !input.is_empty() => {
            let from = at(u, input.len() - 1)?;
            let n = u.int_in_range(1..=64usize)?.min(input.len() - from);
            let piece = input[from..from + n].to_vec();
            let to = at(u, input.len())?;
            input.splice(to..to, piece);
        }
        5 if !input.is_empty() => {
            let value = *u.choose(INTERESTING)?;
            let width = *u.choose(&[1usize, 2, 4, 8])?;
            let aligned = u.ratio(3u8, 4)?;
            let mut i = at(u, input.len() - 1)?;
            if aligned {
                i -= i % width;
            }
            let bytes = value.to_le_bytes();
            for (k, b) in bytes[..width].iter().enumerate() {
                if let Some(slot) = input.get_mut(i + k) {
                    *slot = *b;
                }
            }
        }
        6 if !input.is_empty() => {
            let i = at(u, input.len() - 1)?;
            input.truncate(i);
        }
        7 => {
            let other = u.choose(seeds)?;
            if !other.is_empty() {
                let from = at(u, other.len() - 1)?;
                let i = at(u, input.len())?;
                input.truncate(i);
                input.extend_from_slice(&other[from..]);
            }
        }
        _ if !dictionary.is_empty() => {
            let word = *u.choose(dictionary)?;
            let times = u.int_in_range(2..=2000usize)?;
            let i = at(u, input.len())?;
            let repeated: Vec<u8> = word
                .iter()
                .copied()
                .cycle()
                .take(word.len() * times)
                .collect();
            input.splice(i..i, repeated);
        }
        _ => {}
    }
    input.truncate(MAX_INPUT);
    Ok(())
}

/// Runs `target`'s parser over mutated inputs and returns what happened;
/// panics (failing the test) when an input crashed it.
pub fn fuzz(
    target: &str,
    dictionary: &[&[u8]],
    extra_seeds: Vec<Vec<u8>>,
    run: impl Fn(&[u8]),
) -> Stats {
    install_quiet_hook();
    let seeds = corpus(target, extra_seeds);
    let max_execs = env_number("COMMONS_FUZZ_EXECS").unwrap_or(u64::MAX);
    let budget = match env_number("COMMONS_FUZZ_SECONDS") {
        Some(0) => None,
        Some(s) => Some(Duration::from_secs(s)),
        None if max_execs == u64::MAX => Some(Duration::from_secs(2)),
        None => None,
    };
    let seed = env_number("COMMONS_FUZZ_SEED").unwrap_or(0x00c0_ffee)
        ^ target.bytes().fold(0xcbf2_9ce4_8422_2325u64, |h, b| {
            (h ^ b as u64).wrapping_mul(0x100_0000_01b3)
        });
    let mut entropy = Entropy(seed | 1);
    let mut choices = vec![0u8; 512];
    let started = Instant::now();
    let mut stats = Stats {
        executions: 0,
        elapsed: Duration::ZERO,
        crashes: Vec::new(),
        slowest: Duration::ZERO,
    };
    let mut current: Vec<u8> = Vec::new();
    while stats.executions < max_execs && budget.is_none_or(|b| started.elapsed() < b) {
        if let Some(seed) = seeds.get(stats.executions as usize) {
            // Every seed first, unchanged: a saved crash is a regression test.
            current = seed.clone();
        } else {
            entropy.fill(&mut choices);
            let mut u = Unstructured::new(&choices);
            // Half the time keep stacking edits on the previous input.
            if current.is_empty() || u.ratio(1u8, 2).unwrap_or(true) {
                current = u.choose(&seeds).cloned().unwrap_or_default();
            }
            let edits = u.int_in_range(1..=8u8).unwrap_or(1);
            for _ in 0..edits {
                let _ = mutate(&mut u, &mut current, dictionary, &seeds);
            }
        }
        let one = Instant::now();
        QUIET.with(|q| q.set(true));
        let outcome = catch_unwind(AssertUnwindSafe(|| run(&current)));
        QUIET.with(|q| q.set(false));
        stats.slowest = stats.slowest.max(one.elapsed());
        stats.executions += 1;
        if outcome.is_err() {
            stats.crashes.push(save_crash(target, &current));
            current.clear();
            if stats.crashes.len() >= 10 {
                break;
            }
        }
    }
    stats.elapsed = started.elapsed();
    println!(
        "fuzz {target}: {} executions in {:.1} s ({:.0}/s), {} crashes, slowest input {:.1} ms",
        stats.executions,
        stats.elapsed.as_secs_f64(),
        stats.executions as f64 / stats.elapsed.as_secs_f64().max(1e-9),
        stats.crashes.len(),
        stats.slowest.as_secs_f64() * 1000.0
    );
    assert!(
        stats.crashes.is_empty(),
        "fuzz target `{target}` crashed on {} inputs, saved as {:?}; once fixed, copy them into tests/fuzz-corpus/{target}/, where every run replays them first",
        stats.crashes.len(),
        stats.crashes
    );
    stats
}

fn save_crash(target: &str, input: &[u8]) -> PathBuf {
    use sha2::Digest;
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("target/fuzz-crashes")
        .join(target);
    let _ = std::fs::create_dir_all(&dir);
    let path = dir.join(hex::encode(&sha2::Sha256::digest(input)[..8]));
    let _ = std::fs::write(&path, input);
    path
}
