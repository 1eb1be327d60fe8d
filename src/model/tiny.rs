//! Tiny llama models with random weights, written by tests as GGUF files and
//! as safetensors folders, so that loading, scoring and generation are tested
//! in milliseconds. Also compiled into the integration tests (by path), so it
//! uses only public APIs.

#![allow(dead_code)]

use std::collections::BTreeMap;
use std::io::Write;
use std::path::Path;

pub const HIDDEN: usize = 64;
pub const HEADS: usize = 4;
pub const KV_HEADS: usize = 2;
pub const HEAD_DIM: usize = HIDDEN / HEADS;
pub const FF: usize = 128;
pub const LAYERS: usize = 2;
pub const CONTEXT: usize = 96;
pub const EOS: &str = "<|endoftext|>";
const MERGES: &[(&str, &str)] = &[("Ġ", "t"), ("h", "e"), ("Ġt", "he"), ("i", "n")];

/// The architectures a tiny model is written in.
pub const ARCHS: &[&str] = &["llama", "qwen3", "phi3", "olmo2"];

/// GGML type numbers the writer is asked for.
pub const F32: u32 = 0;
pub const Q4_1: u32 = 3;
pub const Q8_0: u32 = 8;

/// Qwen 3's head is wider than `HIDDEN / HEADS`, as in the real models.
pub const QWEN3_HEAD_DIM: usize = 24;

/// A random decoder: Hugging Face tensor names and shapes, f32 values.
pub struct TinyModel {
    pub tensors: BTreeMap<String, (Vec<usize>, Vec<f32>)>,
    pub vocab: Vec<String>,
    /// `general.architecture` of the GGUF file written: `llama`, `qwen3`
    /// or `phi3`.
    pub arch: &'static str,
    pub head_dim: usize,
}

/// GPT-2's byte ↔ printable character table.
fn byte_chars() -> Vec<char> {
    let mut n = 0;
    (0u32..256)
        .map(|b| {
            let printable =
                (33..=126).contains(&b) || (161..=172).contains(&b) || (174..=255).contains(&b);
            if printable {
                char::from_u32(b).unwrap()
            } else {
                n += 1;
                char::from_u32(255 + n).unwrap()
            }
        })
        .collect()
}

impl TinyModel {
    /// A llama.
    pub fn new(seed: u64) -> TinyModel {
        TinyModel::of("llama", seed)
    }

    /// A Qwen 3: no projection biases, per-head q/k norms, a head of
    /// [`QWEN3_HEAD_DIM`].
    pub fn qwen3(seed: u64) -> TinyModel {
        TinyModel::of("qwen3", seed)
    }

    /// A Phi-3: fused q/k/v and fused gate/up projections.
    pub fn phi3(seed: u64) -> TinyModel {
        TinyModel::of("phi3", seed)
    }

    /// An OLMo 2: norms after attention and the MLP, q/k norms over the
    /// whole projection.
    pub fn olmo2(seed: u64) -> TinyModel {
        TinyModel::of("olmo2", seed)
    }

    /// One of [`ARCHS`].
    pub fn of(arch: &'static str, seed: u64) -> TinyModel {
        let hd = if arch == "qwen3" {
            QWEN3_HEAD_DIM
        } else {
            HEAD_DIM
        };
        let mut vocab: Vec<String> = byte_chars().into_iter().map(String::from).collect();
        vocab.extend(MERGES.iter().map(|(a, b)| format!("{a}{b}")));
        vocab.push(EOS.to_owned());
        let v = vocab.len();
        let mut state = seed.wrapping_mul(0x9e37_79b9_7f4a_7c15) | 1;
        let mut random = |n: usize, scale: f32| -> Vec<f32> {
            (0..n)
                .map(|_| {
                    state ^= state << 13;
                    state ^= state >> 7;
                    state ^= state << 17;
                    ((state >> 40) as f32 / (1u64 << 24) as f32 * 2.0 - 1.0) * scale
                })
                .collect()
        };
        let mut tensors = BTreeMap::new();
        let mut put = |name: String, shape: Vec<usize>, values: Vec<f32>| {
            tensors.insert(name, (shape, values));
        };
        put(
            "model.embed_tokens.weight".into(),
            vec![v, HIDDEN],
            random(v * HIDDEN, 1.0),
        );
        put(
            "lm_head.weight".into(),
            vec![v, HIDDEN],
            random(v * HIDDEN, 0.3),
        );
        put(
            "model.norm.weight".into(),
            vec![HIDDEN],
            random(HIDDEN, 0.2).iter().map(|x| 1.0 + x).collect(),
        );
        for l in 0..LAYERS {
            let p = |s: &str| format!("model.layers.{l}.{s}");
            let norm = |r: Vec<f32>| r.iter().map(|x| 1.0 + x).collect::<Vec<_>>();
            put(
                p("input_layernorm.weight"),
                vec![HIDDEN],
                norm(random(HIDDEN, 0.2)),
            );
            put(
                p("post_attention_layernorm.weight"),
                vec![HIDDEN],
                norm(random(HIDDEN, 0.2)),
            );
            let (qd, kvd) = (HEADS * hd, KV_HEADS * hd);
            let matrices: &[(&str, usize, usize)] = match arch {
                "phi3" => &[
                    ("self_attn.qkv_proj.weight", qd + 2 * kvd, HIDDEN),
                    ("self_attn.o_proj.weight", HIDDEN, qd),
                    ("mlp.gate_up_proj.weight", 2 * FF, HIDDEN),
                    ("mlp.down_proj.weight", HIDDEN, FF),
                ],
                _ => &[
                    ("self_attn.q_proj.weight", qd, HIDDEN),
                    ("self_attn.k_proj.weight", kvd, HIDDEN),
                    ("self_attn.v_proj.weight", kvd, HIDDEN),
                    ("self_attn.o_proj.weight", HIDDEN, qd),
                    ("mlp.gate_proj.weight", FF, HIDDEN),
                    ("mlp.up_proj.weight", FF, HIDDEN),
                    ("mlp.down_proj.weight", HIDDEN, FF),
                ],
            };
            for &(name, rows, cols) in matrices {
                put(p(name), vec![rows, cols], random(rows * cols, 0.4));
            }
            if arch == "qwen3" {
                for name in ["self_attn.q_norm.weight", "self_attn.k_norm.weight"] {
                    put(p(name), vec![hd], norm(random(hd, 0.2)));
                }
            }
            if arch == "olmo2" {
                // Norms of the queries and keys span all heads.
                for (name, len) in [
                    ("post_feedforward_layernorm.weight", HIDDEN),
                    ("self_attn.q_norm.weight", qd),
                    ("self_attn.k_norm.weight", kvd),
                ] {
                    put(p(name), vec![len], norm(random(len, 0.2)));
                }
            }
        }
        if arch == "olmo2" {
            // Norms after the blocks, none before.
            tensors.retain(|name, _| !name.ends_with("input_layernorm.weight"));
        }
        TinyModel {
            tensors,
            vocab,
            arch,
            head_dim: hd,
        }
    }

    fn tokenizer(&self) -> tokenizers::Tokenizer {
        use tokenizers::models::bpe::BPE;
        let map: tokenizers::models::bpe::Vocab = self
            .vocab
            .iter()
            .enumerate()
            .map(|(i, t)| (t.clone(), i as u32))
            .collect();
        let merges = MERGES
            .iter()
            .map(|(a, b)| (a.to_string(), b.to_string()))
            .collect();
        let bpe = BPE::builder()
            .vocab_and_merges(map, merges)
            .build()
            .unwrap();
        let mut t = tokenizers::Tokenizer::new(bpe);
        t.with_pre_tokenizer(Some(
            tokenizers::pre_tokenizers::byte_level::ByteLevel::new(false, false, true),
        ));
        t.with_decoder(Some(tokenizers::decoders::byte_level::ByteLevel::default()));
        t.add_special_tokens(vec![tokenizers::AddedToken::from(EOS, true)])
            .unwrap();
        t
    }

    /// A Hugging Face folder: config.json, model.safetensors, tokenizer.json.
    pub fn write_safetensors(&self, dir: &Path) {
        assert!(
            ["llama", "olmo2"].contains(&self.arch),
            "no {} as safetensors",
            self.arch
        );
        std::fs::create_dir_all(dir).unwrap();
        let config = serde_json::json!({
            "model_type": self.arch,
            "attention_bias": false,
            "hidden_act": "silu",
            "tie_word_embeddings": false,
            "hidden_size": HIDDEN,
            "intermediate_size": FF,
            "num_hidden_layers": LAYERS,
            "num_attention_heads": HEADS,
            "num_key_value_heads": KV_HEADS,
            "vocab_size": self.vocab.len(),
            "rms_norm_eps": 1e-5,
            "rope_theta": 10000.0,
            "max_position_embeddings": CONTEXT,
            "eos_token_id": self.vocab.len() - 1,
        });
        std::fs::write(
            dir.join("config.json"),
            serde_json::to_string_pretty(&config).unwrap(),
        )
        .unwrap();
        let dev = candle_core::Device::Cpu;
        let tensors: std::collections::HashMap<String, candle_core::Tensor> = self
            .tensors
            .iter()
            .map(|(k, (shape, v))| {
                (
                    k.clone(),
                    candle_core::Tensor::from_slice(v, shape.as_slice(), &dev).unwrap(),
                )
            })
            .collect();
        candle_core::safetensors::save(&tensors, dir.join("model.safetensors")).unwrap();
        self.tokenizer()
            .save(dir.join("tokenizer.json"), false)
            .unwrap();
        let tok_config = serde_json::json!({
            "eos_token": EOS,
            "add_bos_token": false,
            "chat_template": "{% for m in messages %}<{{ m.role }}>{{ m.content }}{% endfor %}{% if add_generation_prompt %}<assistant>{% endif %}",
        });
        std::fs::write(dir.join("tokenizer_config.json"), tok_config.to_string()).unwrap();
    }

    /// A GGUF file with matrices of `matrix_type` (any GGML type number;
    /// types candle cannot quantize to are written as zeroed blocks of the
    /// Q4_1 size). `metadata` entries override the defaults.
    pub fn write_gguf(&self, path: &Path, matrix_type: u32, overrides: &[(&str, Meta)]) {
        let (meta, tensors) = self.gguf_parts(matrix_type, overrides);
        write_gguf_file(path, &meta, &tensors);
    }

    /// The metadata and tensors [`write_gguf`](Self::write_gguf) writes, for
    /// tests that edit them (hostile files).
    pub fn gguf_parts(
        &self,
        matrix_type: u32,
        overrides: &[(&str, Meta)],
    ) -> (Vec<(String, Meta)>, Vec<GgufTensor>) {
        let a = self.arch;
        let mut meta: Vec<(String, Meta)> = vec![
            ("general.architecture".into(), Meta::Str(a.into())),
            (format!("{a}.block_count"), Meta::U32(LAYERS as u32)),
            (format!("{a}.context_length"), Meta::U32(CONTEXT as u32)),
            (format!("{a}.embedding_length"), Meta::U32(HIDDEN as u32)),
            (format!("{a}.feed_forward_length"), Meta::U32(FF as u32)),
            (format!("{a}.attention.head_count"), Meta::U32(HEADS as u32)),
            (
                format!("{a}.attention.head_count_kv"),
                Meta::U32(KV_HEADS as u32),
            ),
            (
                format!("{a}.attention.layer_norm_rms_epsilon"),
                Meta::F32(1e-5),
            ),
            (format!("{a}.rope.freq_base"), Meta::F32(10000.0)),
            ("tokenizer.ggml.model".into(), Meta::Str("gpt2".into())),
            ("tokenizer.ggml.pre".into(), Meta::Str("gpt-2".into())),
            (
                "tokenizer.ggml.tokens".into(),
                Meta::Strs(self.vocab.clone()),
            ),
            (
                "tokenizer.ggml.token_type".into(),
                Meta::I32s(
                    self.vocab
                        .iter()
                        .map(|t| if t == EOS { 3 } else { 1 })
                        .collect(),
                ),
            ),
            (
                "tokenizer.ggml.merges".into(),
                Meta::Strs(MERGES.iter().map(|(a, b)| format!("{a} {b}")).collect()),
            ),
            (
                "tokenizer.ggml.eos_token_id".into(),
                Meta::U32(self.vocab.len() as u32 - 1),
            ),
            ("tokenizer.ggml.add_bos_token".into(), Meta::Bool(false)),
            (
                "tokenizer.chat_template".into(),
                Meta::Str(
                    "{% for m in messages %}<{{ m.role }}>{{ m.content }}{% endfor %}<assistant>"
                        .into(),
                ),
            ),
        ];
        if a != "llama" {
            let hd = Meta::U32(self.head_dim as u32);
            meta.push((format!("{a}.attention.key_length"), hd.clone()));
            meta.push((format!("{a}.rope.dimension_count"), hd));
        }
        for (k, v) in overrides {
            meta.retain(|(key, _)| key != k);
            meta.push((k.to_string(), v.clone()));
        }
        let mut tensors = Vec::new();
        for (hf, (shape, values)) in &self.tensors {
            let name = gguf_name(hf, a);
            // Only llama files have their rotary pairs made adjacent.
            let values = match hf.as_str() {
                n if a == "llama" && n.ends_with("q_proj.weight") => {
                    permute_for_gguf(values, HEADS)
                }
                n if a == "llama" && n.ends_with("k_proj.weight") => {
                    permute_for_gguf(values, KV_HEADS)
                }
                _ => values.clone(),
            };
            let dims: Vec<u64> = shape.iter().rev().map(|&d| d as u64).collect();
            let (kind, bytes) = if shape.len() == 1 {
                (F32, f32_bytes(&values))
            } else {
                encode(&values, shape, matrix_type)
            };
            tensors.push(GgufTensor {
                name,
                dims,
                kind,
                bytes,
                offset: None,
            });
        }
        (meta, tensors)
    }
}

/// One tensor as [`write_gguf_file`] writes it.
pub struct GgufTensor {
    pub name: String,
    /// GGML order (contiguous dimension first), as stated in the file.
    pub dims: Vec<u64>,
    pub kind: u32,
    pub bytes: Vec<u8>,
    /// The offset stated in the file; by default, where the bytes are.
    pub offset: Option<u64>,
}

/// A metadata value for [`TinyModel::write_gguf`].
#[derive(Clone)]
pub enum Meta {
    U32(u32),
    U64(u64),
    F32(f32),
    Bool(bool),
    Str(String),
    Strs(Vec<String>),
    I32s(Vec<i32>),
    /// An array of this many zero `u8`s.
    U8s(usize),
}

/// The GGUF name of tensor `hf` in a file of architecture `arch`.
fn gguf_name(hf: &str, arch: &str) -> String {
    let fixed = match hf {
        "model.embed_tokens.weight" => return "token_embd.weight".into(),
        "model.norm.weight" => return "output_norm.weight".into(),
        "lm_head.weight" => return "output.weight".into(),
        other => other,
    };
    let rest = fixed.strip_prefix("model.layers.").unwrap();
    let (layer, part) = rest.split_once('.').unwrap();
    // The norm after attention is the MLP's input norm in the llama family.
    let after_attention = if arch == "olmo2" {
        "post_attention_norm"
    } else {
        "ffn_norm"
    };
    let part = part
        .replace("post_feedforward_layernorm", "post_ffw_norm")
        .replace("post_attention_layernorm", after_attention)
        .replace("input_layernorm", "attn_norm")
        .replace("self_attn.qkv_proj", "attn_qkv")
        .replace("self_attn.q_norm", "attn_q_norm")
        .replace("self_attn.k_norm", "attn_k_norm")
        .replace("self_attn.q_proj", "attn_q")
        .replace("self_attn.k_proj", "attn_k")
        .replace("self_attn.v_proj", "attn_v")
        .replace("self_attn.o_proj", "attn_output")
        .replace("mlp.gate_proj", "ffn_gate")
        .replace("mlp.up_proj", "ffn_up")
        .replace("mlp.gate_up_proj", "ffn_up")
        .replace("mlp.down_proj", "ffn_down");
    format!("blk.{layer}.{part}")
}

/// llama.cpp's conversion reorders q/k rows so that rotary pairs are adjacent.
fn permute_for_gguf(w: &[f32], heads: usize) -> Vec<f32> {
    let rows = w.len() / HIDDEN;
    let hd = rows / heads;
    let mut out = vec![0f32; w.len()];
    for h in 0..heads {
        for i in 0..hd / 2 {
            for e in 0..2 {
                let src = h * hd + e * hd / 2 + i;
                let dst = h * hd + 2 * i + e;
                out[dst * HIDDEN..(dst + 1) * HIDDEN]
                    .copy_from_slice(&w[src * HIDDEN..(src + 1) * HIDDEN]);
            }
        }
    }
    out
}

fn f32_bytes(v: &[f32]) -> Vec<u8> {
    v.iter().flat_map(|x| x.to_le_bytes()).collect()
}

fn encode(values: &[f32], shape: &[usize], kind: u32) -> (u32, Vec<u8>) {
    use candle_core::quantized::{GgmlDType, QTensor};
    let dtype = match kind {
        F32 => return (F32, f32_bytes(values)),
        Q4_1 => GgmlDType::Q4_1,
        Q8_0 => GgmlDType::Q8_0,
        other => return (other, vec![0u8; values.len() / 32 * 20]),
    };
    let t = candle_core::Tensor::from_slice(values, shape, &candle_core::Device::Cpu).unwrap();
    (
        kind,
        QTensor::quantize(&t, dtype)
            .unwrap()
            .data()
            .unwrap()
            .into_owned(),
    )
}

pub fn write_gguf_file(path: &Path, meta: &[(String, Meta)], tensors: &[GgufTensor]) {
    fn string(out: &mut Vec<u8>, s: &str) {
        out.extend((s.len() as u64).to_le_bytes());
        out.extend(s.as_bytes());
    }
    let mut out = b"GGUF".to_vec();
    out.extend(3u32.to_le_bytes());
    out.extend((tensors.len() as u64).to_le_bytes());
    out.extend((meta.len() as u64).to_le_bytes());
    for (key, value) in meta {
        string(&mut out, key);
        match value {
            Meta::U32(v) => {
                out.extend(4u32.to_le_bytes());
                out.extend(v.to_le_bytes());
            }
            Meta::U64(v) => {
                out.extend(10u32.to_le_bytes());
                out.extend(v.to_le_bytes());
            }
            Meta::U8s(n) => {
                out.extend(9u32.to_le_bytes());
                out.extend(0u32.to_le_bytes());
                out.extend((*n as u64).to_le_bytes());
                out.resize(out.len() + n, 0);
            }
            Meta::F32(v) => {
                out.extend(6u32.to_le_bytes());
                out.extend(v.to_le_bytes());
            }
            Meta::Bool(v) => {
                out.extend(7u32.to_le_bytes());
                out.push(*v as u8);
            }
            Meta::Str(s) => {
                out.extend(8u32.to_le_bytes());
                string(&mut out, s);
            }
            Meta::Strs(list) => {
                out.extend(9u32.to_le_bytes());
                out.extend(8u32.to_le_bytes());
                out.extend((list.len() as u64).to_le_bytes());
                list.iter().for_each(|s| string(&mut out, s));
            }
            Meta::I32s(list) => {
                out.extend(9u32.to_le_bytes());
                out.extend(5u32.to_le_bytes());
                out.extend((list.len() as u64).to_le_bytes());
                list.iter().for_each(|v| out.extend(v.to_le_bytes()));
            }
        }
    }
    let mut offset = 0u64;
    for t in tensors {
        string(&mut out, &t.name);
        out.extend((t.dims.len() as u32).to_le_bytes());
        t.dims.iter().for_each(|d| out.extend(d.to_le_bytes()));
        out.extend(t.kind.to_le_bytes());
        out.extend(t.offset.unwrap_or(offset).to_le_bytes());
        offset += (t.bytes.len() as u64).div_ceil(32) * 32;
    }
    out.resize(out.len().div_ceil(32) * 32, 0);
    for t in tensors {
        out.extend(&t.bytes);
        out.resize(out.len().div_ceil(32) * 32, 0);
    }
    std::fs::File::create(path)
        .unwrap()
        .write_all(&out)
        .unwrap();
}
