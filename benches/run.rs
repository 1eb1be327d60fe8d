//! The `llama-bench` job on commons' own engine: prompt processing of 512
//! tokens (pp512) and generation of 128 tokens one at a time (tg128), the
//! latter also after a 512-token prompt (tg128 at depth 512), each
//! repeated, reported as medians in tokens per second, with the peak resident
//! memory of the whole run. `scripts/bench-run` runs it beside llama.cpp.
//!
//!   cargo bench --bench run -- [MODEL] [--threads N] [--reps N]

use std::path::PathBuf;
use std::time::Instant;

use commons::model::CausalLm;

fn main() {
    let mut model = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("target/test-models/smollm2/SmolLM2-135M-Instruct.Q4_1.gguf");
    let (mut threads, mut reps) = (2usize, 5usize);
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        match a.as_str() {
            "--threads" => {
                threads = args
                    .next()
                    .and_then(|v| v.parse().ok())
                    .expect("--threads N")
            }
            "--reps" => reps = args.next().and_then(|v| v.parse().ok()).expect("--reps N"),
            "--bench" => {}
            other => model = PathBuf::from(other),
        }
    }
    commons::model::release_freed_memory();
    commons::model::team::set_threads(threads);
    rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .build_global()
        .expect("thread pool");

    let start = Instant::now();
    let lm = CausalLm::load(&model).expect("load model");
    let load_s = start.elapsed().as_secs_f64();
    let prompt = lm
        .encode("The capital of France is", lm.adds_bos())
        .expect("encode");
    let mut session = lm.session();
    lm.feed(&mut session, &prompt).expect("first token");
    let first_token_s = start.elapsed().as_secs_f64();

    // Pseudo-random ids over the vocabulary, as llama-bench uses.
    let vocab = lm.describe().vocab_size as u64;
    let mut state = 12345u64;
    let tokens: Vec<u32> = (0..512)
        .map(|_| {
            state = state
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            ((state >> 33) % vocab) as u32
        })
        .collect();

    let pp: Vec<f64> = (0..reps + 1)
        .map(|_| {
            let mut s = lm.session();
            let t = Instant::now();
            lm.feed(&mut s, &tokens).expect("prompt");
            512.0 / t.elapsed().as_secs_f64()
        })
        .skip(1)
        .collect();
    let tg: Vec<f64> = (0..reps + 1)
        .map(|_| decode_128(&lm, &mut lm.session(), tokens[0]))
        .skip(1)
        .collect();
    // Decode after a 512-token prompt: attention over a long key/value
    // cache (llama-bench's `-d 512`).
    let deep: Vec<f64> = (0..reps + 1)
        .map(|_| {
            let mut s = lm.session();
            lm.feed(&mut s, &tokens).expect("prompt");
            decode_128(&lm, &mut s, tokens[0])
        })
        .skip(1)
        .collect();
    let report = serde_json::json!({
        "engine": commons::model::engine_version(),
        "model": model.display().to_string(),
        "threads": threads,
        "reps": reps,
        "load_s": load_s,
        "first_token_s": first_token_s,
        "pp512_tok_s": { "median": median(&pp), "runs": pp },
        "tg128_tok_s": { "median": median(&tg), "runs": tg },
        "tg128_d512_tok_s": { "median": median(&deep), "runs": deep },
        "peak_rss_mb": peak_rss_mb(),
    });
    println!("{report}");
}

/// Tokens per second of 128 greedy tokens generated one at a time from
/// `first`, after what `session` holds.
fn decode_128(lm: &CausalLm, session: &mut commons::model::Session, first: u32) -> f64 {
    let mut next = first;
    let t = Instant::now();
    for _ in 0..128 {
        let logits = lm.feed(session, &[next]).expect("token");
        next = argmax(&logits);
    }
    128.0 / t.elapsed().as_secs_f64()
}

fn argmax(v: &[f32]) -> u32 {
    v.iter()
        .enumerate()
        .fold((0, f32::NEG_INFINITY), |best, (i, &x)| {
            if x > best.1 { (i, x) } else { best }
        })
        .0 as u32
}

fn median(v: &[f64]) -> f64 {
    let mut s = v.to_vec();
    s.sort_by(f64::total_cmp);
    if s.is_empty() { 0.0 } else { s[s.len() / 2] }
}

/// VmHWM of this process, in MB.
fn peak_rss_mb() -> f64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<f64>().ok())
        .map(|kb| kb / 1024.0)
        .unwrap_or(0.0)
}
