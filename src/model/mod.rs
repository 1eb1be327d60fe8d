//! Local models: load real open weights and run them on the CPU.
//!
//! This is the layer that `commons run` and `commons eval` share. Two kinds of
//! model are supported:
//!
//! - [`CausalLm`]: decoders of the architectures in `arch` (the llama family:
//!   llama, SmolLM, Qwen2, Mistral; OLMo 2; Qwen3, Phi-3, Gemma 3 from GGUF
//!   only), from a GGUF file
//!   (quantized or not) or from a folder holding `config.json` and
//!   safetensors weights (f32, f16, bf16). The architecture always comes from
//!   the files' own metadata (GGUF keys, `config.json`), never from a file name.
//! - [`Encoder`]: BERT-family sentence encoders in the sentence-transformers
//!   layout, pooled and normalised as their `modules.json` says.
//!
//! The API is shaped for evaluation as much as for generation:
//! [`CausalLm::score`] scores a whole sequence in one forward pass and projects
//! onto the vocabulary only at the positions that are scored, and
//! [`CausalLm::score_continuations`] evaluates a shared context once and scores
//! every continuation from its key/value state. Generation goes through
//! [`CausalLm::generate`], which streams tokens as they are sampled.
//!
//! The transformer itself (`transformer`) is written for this crate rather than
//! taken from candle-transformers, whose quantized llama returns only the last
//! position's logits; quantized matrix products run on the GGUF file's native
//! blocks (`matmul`).
//!
//! Signatures here are a contract with `eval`: they only grow.

mod arch;
mod causal;
mod chat;
mod config;
mod conversation;
mod encoder;
mod error;
pub mod gguf;
mod matmul;
mod ops;
mod quant;
mod sampling;
#[cfg(target_arch = "x86_64")]
mod simd;
mod stream;
pub mod team;
mod tokenizer;
mod transformer;
mod vector;
mod weights;

pub use causal::{CausalLm, Generation, ModelInfo, Session, StopReason, TokenScore};
pub use chat::{ChatMessage, ChatTemplate};
pub use conversation::Conversation;
pub use encoder::Encoder;
pub use error::ModelError;
pub use sampling::SamplingParams;
pub use stream::TextStream;
pub use tokenizer::TextTokenizer;

/// The largest JSON configuration (`config.json`, `tokenizer_config.json`,
/// `modules.json`) read; larger files are refused unread.
const MAX_CONFIG_BYTES: u64 = 16 << 20;
/// The largest `tokenizer.json` read (the largest real ones hold a few
/// hundred thousand tokens in some tens of MB).
const MAX_TOKENIZER_BYTES: u64 = 256 << 20;

/// Runs a third-party reader (tokenizers, minijinja) over a stranger's
/// file, turning a panic inside it into an error naming the file: fuzzing
/// found inputs on which those libraries panic.
pub(crate) fn guarded<T>(
    path: &std::path::Path,
    field: &str,
    read: impl FnOnce() -> crate::Result<T>,
) -> crate::Result<T> {
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(read)).unwrap_or_else(|_| {
        Err(crate::Error::Invalid {
            path: path.to_path_buf(),
            field: field.to_owned(),
            message: "the library reading it failed on this input: the file is malformed".into(),
        })
    })
}

/// The engine string recorded with results: which code produced a number.
pub fn engine_version() -> String {
    format!(
        "commons {} (candle {})",
        env!("CARGO_PKG_VERSION"),
        CANDLE_VERSION
    )
}

/// The candle version this build links (kept in step with Cargo.toml).
pub const CANDLE_VERSION: &str = "0.11";

#[cfg(test)]
mod reference;
#[cfg(test)]
mod tests;
#[cfg(test)]
mod tiny;

/// Makes the C allocator hand large freed buffers (activations, logits,
/// caches) back to the system at once: glibc otherwise raises its mmap
/// threshold after the first large free and keeps later ones in its heaps,
/// so the resident peak of a run would depend on thread timing.
pub fn release_freed_memory() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: mallopt only sets allocator parameters; called before the
    // large allocations it concerns.
    unsafe {
        libc::mallopt(libc::M_MMAP_THRESHOLD, 256 * 1024);
    }
}
