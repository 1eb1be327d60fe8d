//! Architectures checked against candle-transformers' own implementation of
//! each, on tiny random-weight GGUF files: the logits at every position, the
//! scores of a whole sequence, and greedy generation.

use candle_core::{Device, Tensor};

use super::tiny::{self, Meta, TinyModel};
use super::{CausalLm, SamplingParams, sampling};

const TEXT: &str = "the thin tin in the hen, then the rest of it";
/// Tokens generated greedily by both.
const GENERATED: usize = 12;

/// One forward step of a candle model: tokens `(1, t)` at `offset` to the
/// last position's logits.
type Step<'a> = dyn FnMut(&Tensor, usize) -> candle_core::Result<Tensor> + 'a;

fn candle_logits(step: &mut Step, token: u32, offset: usize) -> Vec<f32> {
    let input = Tensor::new(&[token], &Device::Cpu)
        .unwrap()
        .unsqueeze(0)
        .unwrap();
    step(&input, offset)
        .unwrap()
        .flatten_all()
        .unwrap()
        .to_vec1()
        .unwrap()
}

/// The largest difference between two logit vectors, relative to the
/// larger logit magnitude (at least one).
fn max_difference(a: &[f32], b: &[f32]) -> f32 {
    assert_eq!(a.len(), b.len(), "vocabulary");
    a.iter()
        .zip(b)
        .map(|(x, y)| (x - y).abs() / x.abs().max(y.abs()).max(1.0))
        .fold(0.0, f32::max)
}

/// A fresh candle model on a file, as its forward step.
type Reference = dyn Fn(&std::path::Path) -> Box<Step<'static>>;

/// Compares our engine with candle's model (`reference`) on the file at
/// `path` position by position, within `tolerance`, and their greedy tokens.
fn compare(path: &std::path::Path, reference: &Reference, tolerance: f32) {
    let mut step = reference(path);
    let lm = CausalLm::load(path).unwrap();
    let ids = lm.encode(TEXT, false).unwrap();
    assert!(ids.len() > 10);
    let scores = lm.score(&ids, 1).unwrap();
    let mut session = lm.session();
    let mut worst = 0f32;
    for (j, &id) in ids.iter().enumerate() {
        let ours = lm.feed(&mut session, &[id]).unwrap();
        let theirs = candle_logits(&mut step, id, j);
        let diff = max_difference(&ours, &theirs);
        worst = worst.max(diff);
        assert!(diff < tolerance, "position {j}: logits differ by {diff}");
        if let (Some(next), Some(score)) = (ids.get(j + 1), scores.get(j)) {
            let want = sampling::log_prob(&theirs, *next as usize);
            assert!(
                (score.logprob - want).abs() < tolerance,
                "position {j}: scored {} vs {want}",
                score.logprob
            );
        }
    }
    eprintln!("{}: largest logit difference {worst:e}", path.display());

    let mut step = reference(path);
    let prompt = &ids[..3];
    let ours = lm
        .generate(prompt, SamplingParams::default(), GENERATED, |_| Ok(true))
        .unwrap()
        .tokens;
    let mut theirs = Vec::new();
    let mut logits = Vec::new();
    for (j, &id) in prompt.iter().enumerate() {
        logits = candle_logits(&mut step, id, j);
    }
    while theirs.len() < GENERATED {
        let next = sampling::argmax(&logits) as u32;
        if lm.eos_token() == Some(next) {
            break;
        }
        theirs.push(next);
        logits = candle_logits(&mut step, next, prompt.len() + theirs.len() - 1);
    }
    assert!(!ours.is_empty());
    assert_eq!(ours, theirs, "greedy tokens");
}

fn write(model: &TinyModel, kind: u32, overrides: &[(&str, Meta)]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    model.write_gguf(&dir.path().join("tiny.gguf"), kind, overrides);
    dir
}

fn read(path: &std::path::Path) -> (candle_core::quantized::gguf_file::Content, std::fs::File) {
    let mut file = std::fs::File::open(path).unwrap();
    let content = candle_core::quantized::gguf_file::Content::read(&mut file).unwrap();
    (content, file)
}

/// Tolerance on logits (relative to their size) and log-probabilities: the
/// one the scoring tests use. The files are f32: with quantized matrices
/// the two engines quantize activations to 8-bit blocks each its own way,
/// and on random weights their logits part by several percent (Q8_0, on
/// llama as on the rest).
const TOLERANCE: f32 = 1e-3;

fn llama(kind: u32) {
    use candle_transformers::models::quantized_llama::ModelWeights;
    let hd = Meta::U32(tiny::HEAD_DIM as u32);
    let dir = write(
        &TinyModel::new(5),
        kind,
        &[("llama.rope.dimension_count", hd)],
    );
    compare(
        &dir.path().join("tiny.gguf"),
        &|path| {
            let (content, mut file) = read(path);
            let mut model = ModelWeights::from_gguf(content, &mut file, &Device::Cpu).unwrap();
            Box::new(move |x, at| model.forward(x, at))
        },
        TOLERANCE,
    );
}

#[test]
fn llama_equals_candle() {
    llama(tiny::F32);
}

fn qwen3(kind: u32) {
    use candle_transformers::models::quantized_qwen3::ModelWeights;
    // candle builds its rotary table in f16 unless the file says f32.
    let dir = write(
        &TinyModel::qwen3(5),
        kind,
        &[("general.dtype", Meta::U32(0))],
    );
    compare(
        &dir.path().join("tiny.gguf"),
        &|path| {
            let (content, mut file) = read(path);
            let mut model = ModelWeights::from_gguf(content, &mut file, &Device::Cpu).unwrap();
            Box::new(move |x, at| model.forward(x, at))
        },
        TOLERANCE,
    );
}

#[test]
fn qwen3_equals_candle() {
    qwen3(tiny::F32);
}
