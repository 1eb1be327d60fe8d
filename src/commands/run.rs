//! `commons run`: local inference. Generates text from a prompt (streamed to
//! stdout as it is produced), or prints embeddings of texts as JSON.
//!
//! MODEL is a manifest id in the commons, whose files are found (`--files`,
//! else the Hugging Face cache) and verified against the manifest before
//! anything is loaded, or a plain path to a GGUF file or a model folder.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::Instant;

use anyhow::{Context as _, bail};
use serde::Serialize;

use crate::cli::{Context, ExitStatus};
use crate::commands::ModelSubject;
use crate::model::{CausalLm, ChatMessage, ChatTemplate, Encoder, SamplingParams};

/// Run a model locally: generate text, or embed texts
#[derive(Debug, clap::Args)]
#[command(
    after_help = "MODEL is a model id of the commons (its files are verified against the manifest \
before loading) or a path to a GGUF file or a model folder."
)]
pub struct Args {
    /// Model id in the commons, or a path to a GGUF file or model folder.
    #[arg(value_name = "MODEL")]
    pub model: String,

    /// Text to continue (or, with --chat, the user's message).
    #[arg(
        short,
        long,
        required_unless_present = "embed",
        conflicts_with = "embed"
    )]
    pub prompt: Option<String>,

    /// Print embeddings of these texts as JSON (encoder models).
    #[arg(long, num_args = 1.., value_name = "TEXT")]
    pub embed: Vec<String>,

    /// Wrap the prompt in the chat template stored with the model.
    #[arg(long)]
    pub chat: bool,

    /// System message for --chat.
    #[arg(long, requires = "chat", value_name = "TEXT")]
    pub system: Option<String>,

    /// Generate at most N tokens.
    #[arg(short = 'n', long, default_value_t = 256, value_name = "N")]
    pub max_tokens: usize,

    /// Sampling temperature; 0 always picks the most likely token.
    #[arg(short, long, default_value_t = 0.0, value_name = "T")]
    pub temperature: f32,

    /// Nucleus sampling: sample from the most likely tokens whose probability reaches P.
    #[arg(long, default_value_t = 1.0, value_name = "P")]
    pub top_p: f32,

    /// Seed of the sampler: the same seed gives the same sample.
    #[arg(long, default_value_t = 0, value_name = "S")]
    pub seed: u64,

    /// Folder holding the model's files (default: the Hugging Face cache).
    #[arg(long, value_name = "DIR")]
    pub files: Option<PathBuf>,

    /// Worker threads (default: one per core).
    #[arg(long, value_name = "N")]
    pub threads: Option<usize>,

    /// Print prompt and generation speed on stderr.
    #[arg(long)]
    pub stats: bool,
}

pub fn run(args: Args, ctx: &Context) -> anyhow::Result<ExitStatus> {
    if let Some(n) = args.threads {
        crate::model::team::set_threads(n);
        rayon::ThreadPoolBuilder::new()
            .num_threads(n.max(1))
            .build_global()
            .ok();
    }
    if !(0.0..=1.0).contains(&args.top_p) || args.top_p == 0.0 {
        bail!("--top-p must be in (0, 1], got {}", args.top_p);
    }
    if args.temperature < 0.0 || !args.temperature.is_finite() {
        bail!("--temperature must be 0 or more, got {}", args.temperature);
    }
    let path = ModelSubject::resolve(&args.model, args.files.as_deref(), ctx)?.path;
    if args.embed.is_empty() {
        generate(&args, &path, ctx)
    } else {
        embed(&args, &path)
    }
}

fn generate(args: &Args, path: &Path, ctx: &Context) -> anyhow::Result<ExitStatus> {
    let prompt_text = args.prompt.as_deref().unwrap_or_default();
    let started = Instant::now();
    let model = CausalLm::load(path)?;
    let info = model.describe();
    ctx.printer.status(
        "Loaded",
        format!(
            "{} {} ({} parameters, {}) in {:.2}s",
            info.architecture,
            path.display(),
            info.parameters,
            info.quantization,
            started.elapsed().as_secs_f64()
        ),
    );
    let prompt = if args.chat {
        let source = model.chat_template().with_context(|| {
            format!(
                "{} stores no chat template; run without --chat",
                path.display()
            )
        })?;
        let token = |id: Option<u32>| {
            id.and_then(|i| model.tokenizer().token_text(i))
                .unwrap_or_default()
        };
        let template =
            ChatTemplate::new(source, token(model.bos_token()), token(model.eos_token()));
        let mut messages = Vec::new();
        if let Some(system) = &args.system {
            messages.push(ChatMessage {
                role: "system".into(),
                content: system.clone(),
            });
        }
        messages.push(ChatMessage::user(prompt_text));
        let text = template.render(&messages)?;
        // A template that writes BOS itself must not get a second one.
        let bos_written = model
            .bos_token()
            .and_then(|b| model.tokenizer().token_text(b))
            .is_some_and(|b| text.starts_with(&b));
        model.encode(&text, model.adds_bos() && !bos_written)?
    } else {
        model.encode(prompt_text, model.adds_bos())?
    };
    let params = SamplingParams {
        temperature: args.temperature,
        top_p: args.top_p,
        seed: args.seed,
    };
    let mut out = std::io::stdout().lock();
    let mut ids = Vec::new();
    let mut printed = 0;
    let generation = model.generate(&prompt, params, args.max_tokens, |id| {
        ids.push(id);
        let text = model.decode(&ids)?;
        if !text.ends_with('\u{fffd}') && text.len() > printed && text.is_char_boundary(printed) {
            out.write_all(&text.as_bytes()[printed..])
                .and_then(|_| out.flush())
                .map_err(stdout_error)?;
            printed = text.len();
        }
        Ok(true)
    })?;
    let text = model.decode(&ids)?;
    if text.len() > printed && text.is_char_boundary(printed) {
        out.write_all(&text.as_bytes()[printed..])?;
    }
    writeln!(out)?;
    if args.stats {
        let prompt_s = generation.prompt_time.as_secs_f64();
        let decode_s = generation.decode_time.as_secs_f64();
        let later = generation.tokens.len().saturating_sub(1);
        eprintln!(
            "prompt: {} tokens in {:.3}s ({:.1} tokens/s); generated: {} tokens, {:.1} tokens/s after the first; stop: {:?}",
            generation.prompt_tokens,
            prompt_s,
            generation.prompt_tokens as f64 / prompt_s.max(1e-9),
            generation.tokens.len(),
            later as f64 / decode_s.max(1e-9),
            generation.stop
        );
    }
    Ok(ExitStatus::Success)
}

fn stdout_error(e: std::io::Error) -> crate::Error {
    crate::Error::io("<stdout>", e)
}

#[derive(Serialize)]
struct EmbeddingOutput<'a> {
    model: String,
    dimensions: usize,
    embeddings: Vec<TextEmbedding<'a>>,
}

#[derive(Serialize)]
struct TextEmbedding<'a> {
    text: &'a str,
    embedding: Vec<f32>,
}

fn embed(args: &Args, path: &Path) -> anyhow::Result<ExitStatus> {
    let encoder = Encoder::load(path)?;
    let texts: Vec<&str> = args.embed.iter().map(String::as_str).collect();
    let vectors = encoder.embed(&texts)?;
    let output = EmbeddingOutput {
        model: args.model.clone(),
        dimensions: vectors.first().map(Vec::len).unwrap_or(0),
        embeddings: texts
            .iter()
            .zip(vectors)
            .map(|(text, embedding)| TextEmbedding { text, embedding })
            .collect(),
    };
    crate::output::print_json(&output)?;
    Ok(ExitStatus::Success)
}
