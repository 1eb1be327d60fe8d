//! Python's `random.Random(seed)`, as far as sampling needs it, so that a
//! selection made here is the one a line of Python names.
//!
//! lm-evaluation-harness draws few-shot examples with
//! `random.Random(seed).sample(docs, k)`; `--limit N --limit-seed S` takes
//! `sorted(random.Random(S).sample(range(TOTAL), N))`. Both are reproduced
//! exactly: CPython's Mersenne Twister (MT19937, seeded by `init_by_array`
//! with the seed's 32-bit words, least significant first, as
//! `random.seed(int)` does), `getrandbits`, `_randbelow` and `sample` (the
//! pool method when the population is no larger than the set it would
//! otherwise keep, else the set method), as `Lib/random.py` writes them.

use std::collections::HashSet;

const N: usize = 624;
const M: usize = 397;
const MATRIX_A: u32 = 0x9908_b0df;
const UPPER_MASK: u32 = 0x8000_0000;
const LOWER_MASK: u32 = 0x7fff_ffff;

/// `random.Random(seed)` of CPython.
pub struct PyRandom {
    state: [u32; N],
    index: usize,
}

impl PyRandom {
    /// `random.Random(seed)` for a non-negative integer seed.
    pub fn new(seed: u64) -> PyRandom {
        let key: Vec<u32> = if seed >> 32 == 0 {
            vec![seed as u32]
        } else {
            vec![seed as u32, (seed >> 32) as u32]
        };
        let mut rng = PyRandom {
            state: [0; N],
            index: N,
        };
        rng.init_by_array(&key);
        rng
    }

    fn init_genrand(&mut self, seed: u32) {
        self.state[0] = seed;
        for i in 1..N {
            let prev = self.state[i - 1];
            self.state[i] = 1_812_433_253u32
                .wrapping_mul(prev ^ (prev >> 30))
                .wrapping_add(i as u32);
        }
        self.index = N;
    }

    fn init_by_array(&mut self, key: &[u32]) {
        self.init_genrand(19_650_218);
        let mt = &mut self.state;
        let (mut i, mut j) = (1usize, 0usize);
        for _ in 0..N.max(key.len()) {
            let prev = mt[i - 1];
            mt[i] = (mt[i] ^ (prev ^ (prev >> 30)).wrapping_mul(1_664_525))
                .wrapping_add(key[j])
                .wrapping_add(j as u32);
            i += 1;
            j += 1;
            if i >= N {
                mt[0] = mt[N - 1];
                i = 1;
            }
            if j >= key.len() {
                j = 0;
            }
        }
        for _ in 0..N - 1 {
            let prev = mt[i - 1];
            mt[i] =
                (mt[i] ^ (prev ^ (prev >> 30)).wrapping_mul(1_566_083_941)).wrapping_sub(i as u32);
            i += 1;
            if i >= N {
                mt[0] = mt[N - 1];
                i = 1;
            }
        }
        mt[0] = 0x8000_0000;
    }

    fn twist(&mut self) {
        let mt = &mut self.state;
        for k in 0..N {
            let y = (mt[k] & UPPER_MASK) | (mt[(k + 1) % N] & LOWER_MASK);
            let mag = if y & 1 == 1 { MATRIX_A } else { 0 };
            mt[k] = mt[(k + M) % N] ^ (y >> 1) ^ mag;
        }
        self.index = 0;
    }

    /// The next 32 bits of the generator (`genrand_uint32`).
    pub fn next_u32(&mut self) -> u32 {
        if self.index >= N {
            self.twist();
        }
        let mut y = self.state[self.index];
        self.index += 1;
        y ^= y >> 11;
        y ^= (y << 7) & 0x9d2c_5680;
        y ^= (y << 15) & 0xefc6_0000;
        y ^ (y >> 18)
    }

    /// `getrandbits(k)` for `k <= 64`: 32-bit words, least significant
    /// first, the last one cut to the bits still wanted.
    pub fn getrandbits(&mut self, k: u32) -> u64 {
        debug_assert!(k <= 64);
        if k == 0 {
            return 0;
        }
        if k <= 32 {
            return u64::from(self.next_u32() >> (32 - k));
        }
        let low = u64::from(self.next_u32());
        let high = u64::from(self.next_u32() >> (64 - k));
        low | (high << 32)
    }

    /// `_randbelow(n)`: a uniform integer in `0..n`, for `n > 0`.
    pub fn randbelow(&mut self, n: usize) -> usize {
        let k = usize::BITS - n.leading_zeros();
        loop {
            let r = self.getrandbits(k) as usize;
            if r < n {
                return r;
            }
        }
    }

    /// `sample(range(n), k)`: `k` distinct indices of `0..n`, in selection
    /// order; `k` must be at most `n`.
    pub fn sample(&mut self, n: usize, k: usize) -> Vec<usize> {
        assert!(k <= n, "sample larger than population");
        if n <= set_size(k) {
            let mut pool: Vec<usize> = (0..n).collect();
            (0..k)
                .map(|i| {
                    let j = self.randbelow(n - i);
                    let picked = pool[j];
                    pool[j] = pool[n - i - 1];
                    picked
                })
                .collect()
        } else {
            let mut selected = HashSet::with_capacity(k);
            (0..k)
                .map(|_| {
                    let mut j = self.randbelow(n);
                    while !selected.insert(j) {
                        j = self.randbelow(n);
                    }
                    j
                })
                .collect()
        }
    }
}

/// `sample`'s `setsize`: `21`, plus `4 ** ceil(log(3k, 4))` when `k > 5`.
/// `3k` is never a power of 4, so the smallest power of 4 above it is the
/// one Python's floating-point logarithm names.
fn set_size(k: usize) -> usize {
    let mut size = 21;
    if k > 5 {
        let mut power = 1usize;
        while power < 3 * k {
            power *= 4;
        }
        size += power;
    }
    size
}

/// Runs `python3 -c code` and returns its stdout; fails when python3 is
/// missing, since the expected values come from CPython itself.
#[cfg(test)]
pub(crate) fn python(code: &str) -> String {
    let out = std::process::Command::new("python3")
        .args(["-c", code])
        .output()
        .expect("python3 must be installed: these tests compare with CPython's random module");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

#[cfg(test)]
mod tests {
    use super::*;

    const SEEDS: [u64; 6] = [0, 1, 7, 42, 1234, 0x1_2345_6789_abcd];

    #[test]
    fn raw_words_and_bits_match_cpython() {
        for seed in SEEDS {
            let expected = python(&format!(
                "import random\nr = random.Random({seed})\n\
                 print(' '.join(str(r.getrandbits(32)) for _ in range(700)))\n\
                 print(' '.join(str(r.getrandbits(k)) for k in (1, 5, 13, 31, 33, 47, 64)))"
            ));
            let mut rng = PyRandom::new(seed);
            let words: Vec<String> = (0..700).map(|_| rng.next_u32().to_string()).collect();
            let bits: Vec<String> = [1, 5, 13, 31, 33, 47, 64]
                .iter()
                .map(|&k| rng.getrandbits(k).to_string())
                .collect();
            assert_eq!(
                format!("{}\n{}\n", words.join(" "), bits.join(" ")),
                expected,
                "seed {seed}"
            );
        }
    }

    #[test]
    fn samples_match_cpython_on_both_methods() {
        // Populations below and above setsize (21 for k <= 5; 85 for
        // 6 <= k <= 21; 277 for 22 <= k <= 85), draws advancing one
        // generator, as lm-evaluation-harness's sampler does.
        let cases: [(usize, usize); 12] = [
            (1, 1),
            (5, 5),
            (10, 3),
            (21, 4),
            (22, 4),
            (80, 7),
            (85, 6),
            (86, 6),
            (200, 30),
            (277, 22),
            (10042, 3),
            (5_000_000_000, 2),
        ];
        for seed in SEEDS {
            let calls: Vec<String> = cases
                .iter()
                .map(|(n, k)| format!("print(*r.sample(range({n}), {k}))"))
                .collect();
            let expected = python(&format!(
                "import random\nr = random.Random({seed})\n{}",
                calls.join("\n")
            ));
            let mut rng = PyRandom::new(seed);
            let got: String = cases
                .iter()
                .map(|&(n, k)| {
                    let drawn: Vec<String> =
                        rng.sample(n, k).iter().map(usize::to_string).collect();
                    format!("{}\n", drawn.join(" "))
                })
                .collect();
            assert_eq!(got, expected, "seed {seed}");
        }
    }

    #[test]
    fn set_size_is_pythons() {
        let expected = python(
            "import math\nfor k in range(0, 400):\n    s = 21\n    \
             s += 4 ** math.ceil(math.log(k * 3, 4)) if k > 5 else 0\n    print(s)",
        );
        let got: String = (0..400).map(|k| format!("{}\n", set_size(k))).collect();
        assert_eq!(got, expected);
    }
}
