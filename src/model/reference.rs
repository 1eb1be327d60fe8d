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
    let arch = lm.describe().architecture;
    eprintln!("{arch}: largest logit difference from candle {worst:e}");

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

/// Tolerance on logits (relative to their size) and log-probabilities. The
/// files are f32: with quantized matrices the two engines quantize
/// activations to 8-bit blocks each its own way, and on random weights their
/// logits part by several percent (Q8_0, on llama as on the rest). The
/// engine keeps keys and values in half precision (as llama.cpp does),
/// candle in single: already at position 0, where attention returns the
/// value itself, that rounding (2⁻¹¹ relative) reaches the logits of these
/// random models at up to 6·10⁻³. A wrong layer parts them by far more.
const TOLERANCE: f32 = 1e-2;

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

#[test]
fn phi3_equals_candle() {
    use candle_transformers::models::quantized_phi3::ModelWeights;
    let dir = write(&TinyModel::phi3(5), tiny::F32, &[]);
    let reference = |path: &std::path::Path| -> Box<Step<'static>> {
        let (content, mut file) = read(path);
        let mut model = ModelWeights::from_gguf(false, content, &mut file, &Device::Cpu).unwrap();
        Box::new(move |x, at| model.forward(x, at))
    };
    compare(&dir.path().join("tiny.gguf"), &reference, TOLERANCE);
}

/// The logits of every position of [`TEXT`], fed token by token.
fn logits_by_position(path: &std::path::Path) -> Vec<Vec<f32>> {
    let lm = CausalLm::load(path).unwrap();
    let mut session = lm.session();
    lm.encode(TEXT, false)
        .unwrap()
        .iter()
        .map(|&id| lm.feed(&mut session, &[id]).unwrap())
        .collect()
}

#[test]
fn a_phi3_sliding_window_hides_only_positions_beyond_it() {
    const WINDOW: usize = 5;
    let model = TinyModel::phi3(5);
    let whole = write(&model, tiny::F32, &[]);
    let key = "phi3.attention.sliding_window";
    let windowed = write(&model, tiny::F32, &[(key, Meta::U32(WINDOW as u32))]);
    let a = logits_by_position(&whole.path().join("tiny.gguf"));
    let b = logits_by_position(&windowed.path().join("tiny.gguf"));
    for (j, (x, y)) in a.iter().zip(&b).enumerate() {
        let diff = max_difference(x, y);
        if j < WINDOW {
            assert_eq!(diff, 0.0, "position {j} sees all of its context");
        } else {
            assert!(diff > 1e-3, "position {j} ignores the window ({diff})");
        }
    }
}

#[test]
fn a_partial_rotation_turns_only_the_leading_dimensions() {
    let model = TinyModel::phi3(5);
    let full = write(&model, tiny::F32, &[]);
    let key = "phi3.rope.dimension_count";
    let half = (tiny::HEAD_DIM / 2) as u32;
    let partial = write(&model, tiny::F32, &[(key, Meta::U32(half))]);
    let a = logits_by_position(&full.path().join("tiny.gguf"));
    let b = logits_by_position(&partial.path().join("tiny.gguf"));
    // Position 0 is not rotated at all; after it the rotations differ.
    assert_eq!(max_difference(&a[0], &b[0]), 0.0);
    assert!(
        a[1..]
            .iter()
            .zip(&b[1..])
            .all(|(x, y)| max_difference(x, y) > 1e-3)
    );
    let odd = write(&model, tiny::F32, &[(key, Meta::U32(half + 1))]);
    let err = CausalLm::load(&odd.path().join("tiny.gguf"))
        .err()
        .unwrap()
        .to_string();
    assert!(
        err.contains("phi3.rope.dimension_count") && err.contains("rotary dimension 9"),
        "{err}"
    );
}

#[test]
fn olmo2_equals_candle() {
    use candle_transformers::models::olmo2::{Config, Model};
    let model = TinyModel::olmo2(5);
    let folder = tempfile::tempdir().unwrap();
    model.write_safetensors(folder.path());
    let gguf = write(&model, tiny::F32, &[]);
    let hf = folder.path().to_path_buf();
    // candle reads the Hugging Face folder, whichever file ours reads.
    let reference = move |_: &std::path::Path| -> Box<Step<'static>> {
        let text = std::fs::read_to_string(hf.join("config.json")).unwrap();
        let config: Config = serde_json::from_str(&text).unwrap();
        let weights = [hf.join("model.safetensors")];
        // SAFETY: the test's own file, not modified while mapped.
        let vb = unsafe {
            candle_nn::VarBuilder::from_mmaped_safetensors(
                &weights,
                candle_core::DType::F32,
                &Device::Cpu,
            )
        }
        .unwrap();
        let mut model = Model::new(&config, vb).unwrap();
        Box::new(move |x, at| model.forward(x, at))
    };
    compare(folder.path(), &reference, TOLERANCE);
    compare(&gguf.path().join("tiny.gguf"), &reference, TOLERANCE);
}
