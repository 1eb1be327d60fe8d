//! `commons run`: local inference. Generates text from a prompt (streamed to
//! stdout as it is produced), chats with a model on a terminal, or prints
//! embeddings of texts as JSON Lines.
//!
//! MODEL is a manifest id in the commons, whose files are found (`--files`,
//! else the Hugging Face cache) and verified against the manifest before
//! anything is loaded, or a plain path to a GGUF file or a model folder.

use std::io::{BufRead, IsTerminal, Read, Write};
use std::path::{Path, PathBuf};
use std::time::Instant;

use anyhow::{Context as _, bail};

use crate::cli::{Context, ExitStatus};
use crate::commands::{ModelSubject, ThreadArgs};
use crate::model::{
    CausalLm, Conversation, Encoder, Generation, SamplingParams, StopReason, TextStream,
};

/// Run a model locally: generate text, chat, or embed texts
#[derive(Debug, clap::Args)]
#[command(
    after_help = "MODEL is a model id of the commons (its files are verified against the manifest \
before loading) or a path to a GGUF file or a model folder.\n\n\
The prompt is --prompt TEXT, --file FILE, or standard input (--prompt -, or no prompt when \
standard input is not a terminal). --chat without a prompt on a terminal opens a conversation: \
type a message at `> `, Ctrl-D ends it."
)]
pub struct Args {
    /// Model id in the commons, or a path to a GGUF file or model folder
    #[arg(value_name = "MODEL")]
    pub model: String,

    /// Text to continue (with --chat, the user's message); `-` reads it from standard input
    #[arg(short, long, conflicts_with = "embed", value_name = "TEXT")]
    pub prompt: Option<String>,

    /// Read the prompt from FILE
    #[arg(
        short,
        long,
        value_name = "FILE",
        conflicts_with_all = ["prompt", "embed"]
    )]
    pub file: Option<PathBuf>,

    /// Print the embedding of each text as one JSON array per line (encoder models)
    #[arg(long, num_args = 1.., value_name = "TEXT")]
    pub embed: Vec<String>,

    /// Wrap the prompt in the chat template stored with the model; without a
    /// prompt on a terminal, chat turn after turn
    #[arg(long)]
    pub chat: bool,

    /// System message for --chat
    #[arg(long, requires = "chat", value_name = "TEXT")]
    pub system: Option<String>,

    /// Generate at most N tokens (per reply with --chat)
    #[arg(short = 'n', long, default_value_t = 256, value_name = "N")]
    pub max_tokens: usize,

    /// Context size in tokens: the prompt and what is generated (default: the model's)
    #[arg(short = 'c', long, value_name = "N")]
    pub ctx_size: Option<usize>,

    /// End the output before this text (repeat for several)
    #[arg(long, value_name = "TEXT")]
    pub stop: Vec<String>,

    #[command(flatten)]
    pub sampling: SamplingArgs,

    /// Folder holding the model's files (default: the Hugging Face cache)
    #[arg(long, value_name = "DIR")]
    pub files: Option<PathBuf>,

    #[command(flatten)]
    pub threads: ThreadArgs,

    /// Print prompt and generation speed on stderr (and, with --chat, the
    /// tokens reused from the previous turns)
    #[arg(long)]
    pub stats: bool,
}

/// How tokens are chosen, as llama.cpp names the settings.
#[derive(Debug, clap::Args)]
pub struct SamplingArgs {
    /// Sampling temperature; 0 always picks the most likely token
    #[arg(long, visible_alias = "temp", default_value_t = 0.0, value_name = "T")]
    pub temperature: f32,

    /// Sample only from the K most likely tokens (0: all)
    #[arg(long, default_value_t = 0, value_name = "K")]
    pub top_k: usize,

    /// Nucleus sampling: sample from the most likely tokens whose probability reaches P
    #[arg(long, default_value_t = 1.0, value_name = "P")]
    pub top_p: f32,

    /// Drop tokens less likely than P times the most likely one (0: off)
    #[arg(long, default_value_t = 0.0, value_name = "P")]
    pub min_p: f32,

    /// Penalise tokens seen in the last --repeat-last-n tokens (1: off)
    #[arg(long, default_value_t = 1.0, value_name = "X")]
    pub repeat_penalty: f32,

    /// How many of the latest tokens --repeat-penalty looks back on
    #[arg(long, default_value_t = 64, value_name = "N")]
    pub repeat_last_n: usize,

    /// Seed of the sampler: the same seed gives the same sample
    #[arg(short, long, default_value_t = 0, value_name = "S")]
    pub seed: u64,
}

impl SamplingArgs {
    fn params(&self) -> anyhow::Result<SamplingParams> {
        if !(self.top_p > 0.0 && self.top_p <= 1.0) {
            bail!("--top-p must be in (0, 1], got {}", self.top_p);
        }
        if !(0.0..=1.0).contains(&self.min_p) {
            bail!("--min-p must be in [0, 1], got {}", self.min_p);
        }
        if self.temperature < 0.0 || !self.temperature.is_finite() {
            bail!("--temperature must be 0 or more, got {}", self.temperature);
        }
        if !(self.repeat_penalty > 0.0 && self.repeat_penalty.is_finite()) {
            bail!(
                "--repeat-penalty must be more than 0, got {}",
                self.repeat_penalty
            );
        }
        Ok(SamplingParams {
            temperature: self.temperature,
            top_p: self.top_p,
            seed: self.seed,
            top_k: self.top_k,
            min_p: self.min_p,
            repeat_penalty: self.repeat_penalty,
            repeat_last_n: self.repeat_last_n,
        })
    }
}

pub fn run(args: Args, ctx: &Context) -> anyhow::Result<ExitStatus> {
    args.threads.apply();
    let params = args.sampling.params()?;
    if args.ctx_size == Some(0) {
        bail!("--ctx-size must be at least 1");
    }
    if !args.embed.is_empty() {
        let path = ModelSubject::resolve(&args.model, args.files.as_deref(), ctx)?.path;
        return embed(&args, &path);
    }
    let prompt = prompt_text(&args)?;
    let path = ModelSubject::resolve(&args.model, args.files.as_deref(), ctx)?.path;
    let model = load(&path, ctx)?;
    let context = context_size(&args, &model, ctx);
    let Some(prompt) = prompt else {
        return chat_on_terminal(&args, &model, context, params, ctx);
    };
    if args.chat {
        let mut chat = Conversation::new(&model, context, args.system.as_deref())
            .with_context(|| format!("chatting with {}", path.display()))?;
        let mut out = std::io::stdout().lock();
        stream(&args, &model, &mut out, ctx, |on_token| {
            chat.reply(&prompt, params, args.max_tokens, on_token)
        })?;
    } else {
        let tokens = model.encode(&prompt, model.adds_bos())?;
        let mut session = model.session_with_context(context);
        let mut out = std::io::stdout().lock();
        stream(&args, &model, &mut out, ctx, |on_token| {
            model.generate_in(&mut session, &tokens, params, args.max_tokens, on_token)
        })?;
    }
    Ok(ExitStatus::Success)
}

/// `--ctx-size`, else the model's context; a size beyond the model's is
/// cut down to it, with a warning.
fn context_size(args: &Args, model: &CausalLm, ctx: &Context) -> usize {
    let own = model.context_length();
    match args.ctx_size {
        Some(n) if n > own => {
            ctx.printer.warn(format!(
                "--ctx-size {n} is more than the model's context of {own} tokens; using {own}"
            ));
            own
        }
        Some(n) => n,
        None => own,
    }
}

/// The prompt given by `--prompt`, `--file` or standard input; `None`
/// when there is none because standard input is a terminal and `--chat`
/// asks for a conversation.
fn prompt_text(args: &Args) -> anyhow::Result<Option<String>> {
    let text = match (&args.prompt, &args.file) {
        (Some(p), _) if p == "-" => read_stdin()?,
        (Some(p), _) => return Ok(Some(p.clone())),
        (None, Some(file)) => std::fs::read_to_string(file)
            .with_context(|| format!("reading the prompt from {}", file.display()))?,
        (None, None) if std::io::stdin().is_terminal() => {
            if args.chat {
                return Ok(None);
            }
            bail!(
                "no prompt: give --prompt TEXT, --file FILE or pipe it on standard input (or --chat for a conversation)"
            );
        }
        (None, None) => read_stdin()?,
    };
    if text.trim().is_empty() {
        bail!("the prompt is empty");
    }
    // A file or a pipe ends its last line; the prompt does not.
    Ok(Some(
        text.strip_suffix('\n')
            .map(|t| t.strip_suffix('\r').unwrap_or(t))
            .unwrap_or(&text)
            .to_owned(),
    ))
}

fn read_stdin() -> anyhow::Result<String> {
    let mut text = String::new();
    std::io::stdin()
        .read_to_string(&mut text)
        .context("reading the prompt from standard input")?;
    Ok(text)
}

fn load(path: &Path, ctx: &Context) -> anyhow::Result<CausalLm> {
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
    Ok(model)
}

/// A conversation on the terminal: `> ` asks for a message, the reply
/// streams to stdout, Ctrl-D (end of input) ends it.
fn chat_on_terminal(
    args: &Args,
    model: &CausalLm,
    context: usize,
    params: SamplingParams,
    ctx: &Context,
) -> anyhow::Result<ExitStatus> {
    if !args.chat {
        bail!("no prompt: give --prompt TEXT, --file FILE or pipe it on standard input");
    }
    let mut chat = Conversation::new(model, context, args.system.as_deref())?;
    ctx.printer
        .status("Chat", "type a message and Enter; Ctrl-D ends the chat");
    let mut input = std::io::stdin().lock();
    let mut out = std::io::stdout().lock();
    while let Some(message) = ask(&mut input)? {
        stream(args, model, &mut out, ctx, |on_token| {
            chat.reply(&message, params, args.max_tokens, on_token)
        })?;
    }
    Ok(ExitStatus::Success)
}

/// The next message typed at `> `, or `None` at the end of input.
fn ask(input: &mut impl BufRead) -> anyhow::Result<Option<String>> {
    loop {
        eprint!("> ");
        let mut line = String::new();
        if input
            .read_line(&mut line)
            .context("reading standard input")?
            == 0
        {
            eprintln!();
            return Ok(None);
        }
        if !line.trim().is_empty() {
            return Ok(Some(line.trim_end_matches(['\n', '\r']).to_owned()));
        }
    }
}

/// Runs one generation, streaming its text to `out` up to any stop string,
/// then reports how it ended on stderr.
fn stream(
    args: &Args,
    model: &CausalLm,
    out: &mut impl Write,
    ctx: &Context,
    generate: impl FnOnce(&mut dyn FnMut(u32) -> crate::Result<bool>) -> crate::Result<Generation>,
) -> anyhow::Result<()> {
    let mut text = TextStream::new(model.tokenizer(), &args.stop);
    let generation = generate(&mut |id| {
        let shown = text.push(id)?;
        out.write_all(shown.as_bytes())
            .and_then(|_| out.flush())
            .map_err(stdout_error)?;
        Ok(!text.stopped())
    })?;
    out.write_all(text.finish().as_bytes())?;
    writeln!(out)?;
    out.flush()?;
    if generation.stop == StopReason::ContextFull {
        ctx.printer.warn(format!(
            "stopped: the context of {} tokens is full (--ctx-size)",
            generation.reused_tokens + generation.prompt_tokens + generation.tokens.len() - 1
        ));
    }
    if args.stats {
        print_stats(&generation);
    }
    Ok(())
}

fn print_stats(generation: &Generation) {
    let prompt_s = generation.prompt_time.as_secs_f64();
    let decode_s = generation.decode_time.as_secs_f64();
    let later = generation.tokens.len().saturating_sub(1);
    eprintln!(
        "prompt: {} tokens in {:.3}s ({:.1} tokens/s), {} reused from the cache; generated: {} tokens, {:.1} tokens/s after the first; stop: {:?}",
        generation.prompt_tokens,
        prompt_s,
        generation.prompt_tokens as f64 / prompt_s.max(1e-9),
        generation.reused_tokens,
        generation.tokens.len(),
        later as f64 / decode_s.max(1e-9),
        generation.stop
    );
}

fn stdout_error(e: std::io::Error) -> crate::Error {
    crate::Error::io("<stdout>", e)
}

/// One JSON array of numbers per text, in the order given.
fn embed(args: &Args, path: &Path) -> anyhow::Result<ExitStatus> {
    let encoder = Encoder::load(path)?;
    let texts: Vec<&str> = args.embed.iter().map(String::as_str).collect();
    let vectors = encoder.embed(&texts)?;
    crate::output::print_json_lines(&vectors)?;
    Ok(ExitStatus::Success)
}
