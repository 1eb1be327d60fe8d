//! `commons run`: generation and embeddings on the real small models and on
//! tiny random ones, tokenizer parity with llama.cpp, verification of a
//! commons model's files before loading, and the errors users meet.

use std::path::PathBuf;

use crate::tiny::{self, Meta, TinyModel};
use commons::model::CausalLm;

use crate::support::{Test, models};

fn smollm2() -> PathBuf {
    models::models_dir().join("smollm2/SmolLM2-135M-Instruct.Q4_1.gguf")
}

fn gemma3() -> PathBuf {
    models::models_dir().join("gemma3/gemma-3-270m-q4_k_m.gguf")
}

fn minilm() -> PathBuf {
    models::models_dir().join("all-minilm-l6-v2")
}

/// A test folder with a tiny random GGUF model at `work/model/tiny.gguf`.
fn with_tiny(overrides: &[(&str, Meta)]) -> Test {
    let t = Test::new();
    std::fs::create_dir_all(t.path("work/model")).unwrap();
    TinyModel::new(11).write_gguf(&t.path("work/model/tiny.gguf"), tiny::Q4_1, overrides);
    t
}

#[test]
fn greedy_generation_on_smollm2_is_deterministic() {
    let t = Test::new();
    let model = smollm2();
    let args = [
        "run",
        model.to_str().unwrap(),
        "--prompt",
        "The capital of France is",
        "-n",
        "6",
    ];
    let first = t.cmd(args).success();
    let text = first.stdout();
    assert!(text.contains("Paris"), "{text}");
    assert_eq!(t.cmd(args).success().stdout(), text);
}

/// The prompt and llama.cpp's greedy continuation of it on Gemma 3 270M
/// (llama-cli, greedy, the same file): twelve tokens.
pub const GEMMA3_PROMPT: &str = "The capital of France is";
pub const GEMMA3_GREEDY: &str = " the capital of the country of France. It is the largest";

#[test]
fn greedy_generation_on_gemma3_equals_llama_cpp() {
    // The first eleven tokens. The twelfth is a near-tie (" largest" leads
    // " capital" by 0.014 in an f64 product of the dequantized weights), decided
    // by rounding: it is checked on the batch path below.
    let t = Test::new();
    let model = gemma3();
    let out = t
        .cmd([
            "run",
            model.to_str().unwrap(),
            "--prompt",
            GEMMA3_PROMPT,
            "-n",
            "11",
            "--temperature",
            "0",
        ])
        .success();
    assert_eq!(
        out.stdout().trim_end_matches('\n'),
        GEMMA3_GREEDY.trim_end_matches(" largest")
    );
}

#[test]
fn every_token_of_llama_cpp_greedy_gemma3_text_is_our_most_likely() {
    // The prompt and llama.cpp's twelve greedy tokens scored in one pass:
    // each of the first eleven is the argmax of our distribution after what
    // precedes it. The twelfth is a near-tie between llama.cpp's " largest"
    // and " capital" (0.014 apart in an f64 product of the dequantized
    // weights; with activations quantized to 8 bits, as llama.cpp's are
    // too, either may lead by about 0.1): the two lead, within 0.25.
    let lm = CausalLm::load(&gemma3()).unwrap();
    let prompt = lm.encode(GEMMA3_PROMPT, true).unwrap();
    let whole = lm
        .encode(&format!("{GEMMA3_PROMPT}{GEMMA3_GREEDY}"), true)
        .unwrap();
    assert_eq!(whole[..prompt.len()], prompt[..]);
    assert_eq!(whole.len(), prompt.len() + 12);
    let scores = lm.score(&whole, prompt.len()).unwrap();
    let missed: Vec<usize> = (0..11).filter(|&i| !scores[i].greedy).collect();
    assert!(missed.is_empty(), "not greedy at {missed:?}: {scores:?}");

    let (last, before) = whole.split_last().unwrap();
    let logits = lm.feed(&mut lm.session(), before).unwrap();
    let logits = &logits[logits.len() - lm.describe().vocab_size..];
    let mut ranked: Vec<usize> = (0..logits.len()).collect();
    ranked.sort_by(|a, b| logits[*b].total_cmp(&logits[*a]));
    let capital = lm.encode(" capital", false).unwrap();
    let mut top: Vec<u32> = ranked[..2].iter().map(|&i| i as u32).collect();
    top.sort();
    let mut tie = vec![*last, capital[0]];
    tie.sort();
    assert_eq!(top, tie, "the two leading tokens");
    let gap = (logits[ranked[0]] - logits[ranked[1]]).abs();
    assert!(gap < 0.25, "a near-tie, not {gap}");
}

#[test]
fn gemma3_token_ids_equal_llama_cpp() {
    // Gemma's SentencePiece vocabulary adds no prefix space; ids as
    // llama-tokenize gives them for the same file (2 is BOS).
    let lm = CausalLm::load(&gemma3()).unwrap();
    let text = "The capital of France is";
    let ids = lm.encode(text, lm.adds_bos()).unwrap();
    assert_eq!(ids, [2, 818, 5279, 529, 7001, 563]);
    assert_eq!(lm.decode(&ids[1..]).unwrap(), text);
}

#[test]
fn gemma3_whitespace_markup_and_rare_characters_tokenize_as_llama_cpp() {
    // Runs of tabs, newlines and spaces and HTML tags are whole tokens of
    // Gemma's vocabulary; characters it lacks fall back to bytes; special
    // tokens in the text are parsed as llama-tokenize parses them. Ids from
    // llama-tokenize --no-bos on this text and this file.
    let text = "Tabs\t\there,\n\n\nthree newlines;   three spaces  <table><tr>cell</tr></table>\n\
                <h1>Title</h1> emoji \u{1f999}\u{1f389}, \u{dc}n\u{ef}c\u{f6}d\u{e9} \u{2014} \
                \u{65e5}\u{672c}\u{8a9e}\u{306e}\u{30c6}\u{30ad}\u{30b9}\u{30c8}, \
                \u{395}\u{3bb}\u{3bb}\u{3b7}\u{3bd}\u{3b9}\u{3ba}\u{3ac}, \u{5e2}\u{5d1}\u{5e8}\u{5d9}\u{5ea}, \
                \u{1d518}\u{1d52b}\u{1d526} \u{1}ctl <unused0> <start_of_turn>user\n  indented\n\n\n\n\n\n";
    let lm = CausalLm::load(&gemma3()).unwrap();
    let ids = lm.encode(text, false).unwrap();
    assert_eq!(
        ids,
        [
            76222, 255969, 8472, 236764, 109, 19891, 861, 8721, 236793, 139, 19891, 9952, 138, 168,
            173, 5447, 181, 176, 107, 184, 7396, 191, 64334, 236743, 478, 397, 404, 391, 242061,
            236764, 15356, 236749, 238527, 236755, 55515, 236859, 2192, 33375, 238582, 236945,
            95830, 236764, 23883, 109959, 42220, 236764, 11173, 104154, 237270, 236764, 236743,
            478, 395, 386, 390, 478, 395, 386, 409, 254865, 236743, 249732, 58514, 236743, 6,
            236743, 105, 2364, 107, 138, 724, 16764, 112
        ]
    );
    assert_eq!(lm.decode(&ids).unwrap(), text);
}

#[test]
fn chat_applies_the_template_stored_in_the_gguf() {
    // SmolLM2's template adds its own system turn; the rendered prompt's ids
    // equal llama-tokenize's. Greedy replies to this prompt begin at a
    // near-tie between two first tokens (llama.cpp's greedy reply is a French
    // loop that never ends the turn), so their wording is not pinned; the
    // template's tokens are never printed.
    let t = Test::new();
    let model = smollm2();
    let model = model.to_str().unwrap();
    let out = t
        .cmd([
            "run",
            model,
            "--chat",
            "--prompt",
            "What is the capital of France?",
            "-n",
            "64",
            "--stats",
        ])
        .success()
        .stderr_has("generated: ");
    let text = out.stdout();
    assert!(!text.trim().is_empty());
    assert!(
        !text.contains("<|im_start|>") && !text.contains("<|im_end|>"),
        "{text}"
    );
    // A system message replaces the template's default one (a prompt of
    // another length). The reply's wording is not pinned either: its first
    // token is a near-tie between "The" and "La" that the precision of the
    // key/value cache decides (llama.cpp answers "The capital of France is
    // Paris." with a half-precision cache and in French with an 8-bit one,
    // as this engine does with its half-precision cache).
    let prompt_tokens = |stderr: &str| -> usize {
        let at = stderr.find("prompt: ").expect("a --stats line") + "prompt: ".len();
        stderr[at..].split(' ').next().unwrap().parse().unwrap()
    };
    let default_system = prompt_tokens(&out.stderr());
    let out = t
        .cmd([
            "run",
            model,
            "--chat",
            "--system",
            "You are a helpful assistant.",
            "--prompt",
            "What is the capital of France?",
            "-n",
            "12",
            "--stats",
        ])
        .success()
        .stderr_has("generated: ");
    assert_ne!(prompt_tokens(&out.stderr()), default_system);
    let text = out.stdout();
    assert!(!text.trim().is_empty());
    assert!(
        !text.contains("<|im_start|>") && !text.contains("<|im_end|>"),
        "{text}"
    );
}

#[test]
fn same_seed_same_sample() {
    let t = with_tiny(&[]);
    let sample = |seed: &str| {
        t.cmd([
            "run",
            "work/model/tiny.gguf",
            "-p",
            "the",
            "-n",
            "16",
            "--temperature",
            "1.2",
            "--seed",
            seed,
        ])
        .success()
        .stdout()
    };
    let first = sample("5");
    assert_eq!(sample("5"), first);
    assert!(
        ["6", "7", "8"].iter().any(|s| sample(s) != first),
        "every seed sampled {first:?}"
    );
}

#[test]
fn embeddings_are_json_lines_pooled_and_normalised() {
    let t = Test::new();
    let model = minilm();
    let out = t
        .cmd([
            "run",
            model.to_str().unwrap(),
            "--embed",
            "A cat sits on the mat.",
            "A kitten rests on a rug.",
            "Stock markets fell sharply today.",
        ])
        .success();
    // One JSON array per text, one per line, in the order given.
    let vectors: Vec<Vec<f64>> = out
        .stdout()
        .lines()
        .map(|line| serde_json::from_str(line).unwrap_or_else(|e| panic!("{e}: {line}")))
        .collect();
    assert_eq!(vectors.len(), 3);
    for v in &vectors {
        assert_eq!(v.len(), 384);
        let norm: f64 = v.iter().map(|x| x * x).sum::<f64>().sqrt();
        assert!((norm - 1.0).abs() < 1e-4, "norm {norm}");
    }
    let cos = |a: &[f64], b: &[f64]| a.iter().zip(b).map(|(x, y)| x * y).sum::<f64>();
    assert!(cos(&vectors[0], &vectors[1]) > cos(&vectors[0], &vectors[2]) + 0.3);
}

/// Our ids of the first lines of wiki.test.raw equal those of the
/// `fixture` (llama.cpp's `llama-tokenize --no-bos` on `model`), whose
/// provenance is checked: the model file's and the text's sha256.
fn wikitext_ids_equal_llama_cpp(model: &std::path::Path, fixture: &str) {
    let fixture: serde_json::Value = serde_json::from_str(fixture).unwrap();
    let file = std::fs::read(model).unwrap();
    assert_eq!(
        crate::support::sha256_hex(&file),
        fixture["model_sha256"].as_str().unwrap(),
        "{} is not the file the fixture was made from",
        model.display()
    );
    drop(file);
    let lines = fixture["lines"].as_u64().unwrap() as usize;
    let raw = std::fs::read_to_string(models::data_dir().join("wikitext2/wiki.test.raw")).unwrap();
    let text: String = raw.split_inclusive('\n').take(lines).collect();
    assert_eq!(
        commons::digest::Sha256Hex::of_bytes(text.as_bytes()).as_str(),
        fixture["text_sha256"].as_str().unwrap()
    );
    let want: Vec<u32> = fixture["ids"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_u64().unwrap() as u32)
        .collect();
    let lm = CausalLm::load(model).unwrap();
    let got = lm.encode(&text, false).unwrap();
    if let Some(at) = got.iter().zip(&want).position(|(a, b)| a != b) {
        panic!(
            "ids differ from llama.cpp's at {at}: ours {:?}, llama.cpp {:?}, around {:?}",
            &got[at..(at + 8).min(got.len())],
            &want[at..(at + 8).min(want.len())],
            lm.decode(&want[at.saturating_sub(4)..(at + 4).min(want.len())])
                .unwrap()
        );
    }
    assert_eq!(got.len(), want.len());
    assert_eq!(lm.decode(&got).unwrap(), text);
}

#[test]
fn smollm2_token_ids_equal_llama_cpp_on_wikitext() {
    wikitext_ids_equal_llama_cpp(
        &smollm2(),
        include_str!("../fixtures/smollm2-wikitext-ids.json"),
    );
}

#[test]
fn gemma3_token_ids_equal_llama_cpp_on_wikitext() {
    // SentencePiece with runs of newlines as tokens of their own, and no
    // prefix space.
    wikitext_ids_equal_llama_cpp(
        &gemma3(),
        include_str!("../fixtures/gemma3-wikitext-ids.json"),
    );
}

#[test]
fn a_commons_model_is_verified_before_loading() {
    let t = with_tiny(&[]);
    t.cmd(["init", "--name", "Test Commons"]).success();
    t.cmd([
        "record",
        "model",
        "lab/tiny",
        "--license",
        "Apache-2.0",
        "--files",
        "work/model",
        "--source-local",
        "random weights",
    ])
    .success();
    t.cmd([
        "run",
        "lab/tiny",
        "--files",
        "work/model",
        "-p",
        "the",
        "-n",
        "4",
    ])
    .success()
    .stderr_has("Verified");
    let path = t.path("work/model/tiny.gguf");
    let mut bytes = std::fs::read(&path).unwrap();
    let last = bytes.len() - 40;
    bytes[last] ^= 0x55;
    std::fs::write(&path, bytes).unwrap();
    t.cmd(["run", "lab/tiny", "--files", "work/model", "-p", "the"])
        .code(2)
        .stderr_has("do not match the manifest");
    t.cmd(["run", "lab/tiny", "-p", "the"])
        .code(2)
        .stderr_has("not on this machine");
    t.cmd(["run", "lab/missing", "-p", "the"])
        .code(2)
        .stderr_has("no manifest with id `lab/missing`");
}

#[test]
fn broken_models_fail_with_clear_errors() {
    let t = with_tiny(&[("general.architecture", Meta::Str("rwkv6".into()))]);
    t.cmd(["run", "work/model/tiny.gguf", "-p", "the"])
        .code(2)
        .stderr_has("unsupported architecture `rwkv6`");

    let t = with_tiny(&[]);
    let path = t.path("work/model/tiny.gguf");
    let len = std::fs::metadata(&path).unwrap().len();
    std::fs::OpenOptions::new()
        .write(true)
        .open(&path)
        .unwrap()
        .set_len(len - 300)
        .unwrap();
    t.cmd(["run", "work/model/tiny.gguf", "-p", "the"])
        .code(2)
        .stderr_has("truncated");

    let t = Test::new();
    std::fs::create_dir_all(t.path("work")).unwrap();
    TinyModel::new(3).write_gguf(&t.path("work/iq.gguf"), 19, &[]);
    t.cmd(["run", "work/iq.gguf", "-p", "the"])
        .code(2)
        .stderr_has("unsupported quantization type IQ1_S");
}

#[test]
fn prompts_longer_than_the_context_are_refused() {
    let t = with_tiny(&[]);
    let long = "the ".repeat(200);
    t.cmd(["run", "work/model/tiny.gguf", "-p", &long])
        .code(2)
        .stderr_has("longer than the model's context");
    t.cmd([
        "run",
        "work/model/tiny.gguf",
        "--chat",
        "-p",
        "hi",
        "-n",
        "3",
    ])
    .success();
    t.cmd(["run", "work/model/tiny.gguf", "-p", "hi", "--top-p", "0"])
        .code(2)
        .stderr_has("--top-p");
}

/// `commons run` on the tiny model with `args` after the model.
fn tiny_run(t: &Test, args: &[&str]) -> crate::support::Outcome {
    let mut all = vec!["run", "work/model/tiny.gguf"];
    all.extend_from_slice(args);
    t.cmd(all)
}

#[test]
fn the_prompt_comes_from_the_flag_a_file_or_standard_input() {
    let t = with_tiny(&[]);
    let want = tiny_run(&t, &["-p", "the hen", "-n", "8"])
        .success()
        .stdout();
    assert!(!want.trim().is_empty());
    let piped = |args: &[&str], input: &str| {
        let mut all = vec!["run", "work/model/tiny.gguf", "-n", "8"];
        all.extend_from_slice(args);
        t.cmd_input(all, input).success().stdout()
    };
    // A pipe with no --prompt, `--prompt -`, and --file; the last line's
    // end is not part of the prompt.
    assert_eq!(piped(&[], "the hen\n"), want);
    assert_eq!(piped(&["-p", "-"], "the hen"), want);
    t.write("work/prompt.txt", "the hen\n");
    assert_eq!(
        tiny_run(&t, &["-f", "work/prompt.txt", "-n", "8"])
            .success()
            .stdout(),
        want
    );
    tiny_run(&t, &["--file", "work/missing.txt"])
        .code(2)
        .stderr_has("work/missing.txt");
    t.cmd_input(["run", "work/model/tiny.gguf"], "  \n")
        .code(2)
        .stderr_has("the prompt is empty");
    tiny_run(&t, &["-p", "the", "-f", "work/prompt.txt"])
        .code(2)
        .stderr_has("cannot be used with");
}

#[test]
fn top_k_one_and_min_p_one_are_greedy_and_samples_follow_the_seed() {
    let t = with_tiny(&[]);
    let greedy = tiny_run(&t, &["-p", "the", "-n", "16"]).success().stdout();
    let hot = |extra: &[&str]| {
        let mut args = vec!["-p", "the", "-n", "16", "--temp", "3", "--seed", "9"];
        args.extend_from_slice(extra);
        tiny_run(&t, &args).success().stdout()
    };
    assert_eq!(hot(&["--top-k", "1"]), greedy);
    assert_eq!(hot(&["--min-p", "1"]), greedy);
    let sampled = hot(&[]);
    assert_ne!(sampled, greedy);
    assert_eq!(hot(&[]), sampled);
    assert_eq!(
        hot(&["--top-k", "0", "--min-p", "0", "--top-p", "1"]),
        sampled
    );
    tiny_run(&t, &["-p", "the", "--min-p", "2"])
        .code(2)
        .stderr_has("--min-p must be in [0, 1]");
    tiny_run(&t, &["-p", "the", "--repeat-penalty", "0"])
        .code(2)
        .stderr_has("--repeat-penalty");
}

#[test]
fn the_repeat_penalty_steers_away_from_recent_tokens() {
    let t = Test::new();
    let model = smollm2();
    let run = |extra: &[&str]| {
        let mut args = vec![
            "run",
            model.to_str().unwrap(),
            "-p",
            "The capital of France is",
            "-n",
            "30",
        ];
        args.extend_from_slice(extra);
        t.cmd(args).success().stdout()
    };
    let greedy = run(&[]);
    // Greedy SmolLM2 repeats "a" and "population"; penalised, it does not
    // say the same thing.
    let penalised = run(&["--repeat-penalty", "1.3"]);
    assert_ne!(penalised, greedy);
    assert!(penalised.starts_with(" Paris."), "{penalised}");
    // A window of no tokens is no penalty.
    assert_eq!(
        run(&["--repeat-penalty", "1.3", "--repeat-last-n", "0"]),
        greedy
    );
}

#[test]
fn output_ends_before_a_stop_string() {
    let t = Test::new();
    let model = smollm2();
    let run = |extra: &[&str]| {
        let mut args = vec![
            "run",
            model.to_str().unwrap(),
            "-p",
            "The capital of France is",
            "-n",
            "12",
        ];
        args.extend_from_slice(extra);
        t.cmd(args).success().stdout()
    };
    // What follows the first sentence is a near-tie (see
    // `chat_applies_the_template_stored_in_the_gguf`), so it is not pinned.
    assert!(run(&[]).starts_with(" Paris.\n\n"));
    assert_eq!(run(&["--stop", "."]), " Paris\n");
    // A stop string spanning tokens (" Paris", "."), the first of several.
    assert_eq!(run(&["--stop", "United", "--stop", "is."]), " Par\n");
    assert_eq!(run(&["--stop", "\n\n"]), " Paris.\n");
    assert_eq!(run(&["--stop", "Berlin"]), run(&[]));
}

#[test]
fn the_context_size_is_kept() {
    let t = with_tiny(&[]);
    // tiny's own context is 96 tokens.
    tiny_run(&t, &["-p", &"the ".repeat(10), "--ctx-size", "8"])
        .code(2)
        .stderr_has("longer than the context of 8 tokens");
    let out = tiny_run(&t, &["-p", "the", "-c", "12", "-n", "100", "--stats"])
        .success()
        .stderr_has("stopped: the context of 12 tokens is full")
        .stderr_has("stop: ContextFull");
    let generated: usize = out
        .stderr()
        .split("generated: ")
        .nth(1)
        .and_then(|s| s.split(' ').next())
        .and_then(|n| n.parse().ok())
        .unwrap();
    let prompt: usize = out
        .stderr()
        .split("prompt: ")
        .nth(1)
        .and_then(|s| s.split(' ').next())
        .and_then(|n| n.parse().ok())
        .unwrap();
    // The prompt and every generated token but the last were fed.
    assert_eq!(prompt + generated - 1, 12, "{}", out.stderr());
    tiny_run(&t, &["-p", "the", "-c", "1000", "-n", "2"])
        .success()
        .stderr_has("--ctx-size 1000 is more than the model's context of 96 tokens");
}

#[test]
fn threads_are_dash_t_in_run_and_eval_as_in_llama_cpp() {
    let t = with_tiny(&[]);
    tiny_run(&t, &["-p", "the", "-n", "2", "-t", "1", "--temp", "0"]).success();
    for command in ["run", "eval"] {
        let help = t.cmd([command, "--help"]).success().stdout();
        assert!(help.contains("-t, --threads <N>"), "{command}:\n{help}");
    }
    let help = t.cmd(["run", "--help"]).success().stdout();
    assert!(help.contains("--temperature <T>"), "{help}");
    assert!(help.contains("-c, --ctx-size <N>"), "{help}");
    let help = t.cmd(["eval", "--help"]).success().stdout();
    assert!(help.contains("    --task <TASK>"), "{help}");
}

/// Reads a `--stats` line from the terminal: (new tokens, reused tokens).
#[cfg(unix)]
fn turn_stats(chat: &mut rexpect::session::PtySession) -> (usize, usize) {
    let (_, line) = chat
        .exp_regex(r"prompt: \d+ tokens in [^,]*, \d+ reused")
        .expect("a --stats line");
    let numbers: Vec<usize> = line
        .split(|c: char| !c.is_ascii_digit())
        .filter_map(|n| n.parse().ok())
        .collect();
    (numbers[0], *numbers.last().unwrap())
}

#[cfg(unix)]
#[test]
fn chat_on_a_terminal_keeps_the_conversation_and_its_cache() {
    let t = Test::new();
    let model = smollm2();
    let mut chat = t.pty(
        [
            "run",
            model.to_str().unwrap(),
            "--chat",
            "--system",
            "You are a helpful assistant.",
            "-n",
            "24",
            "--stats",
        ],
        120,
    );
    chat.exp_string("Ctrl-D ends the chat").unwrap();
    chat.exp_string("> ").unwrap();
    chat.send_line("What is the capital of France?").unwrap();
    let (first, reused) = turn_stats(&mut chat);
    assert_eq!(reused, 0);
    chat.exp_string("> ").unwrap();
    chat.send_line("And of Italy?").unwrap();
    let (second, reused) = turn_stats(&mut chat);
    // The second turn processes only its own message (and the end of the
    // first reply): everything before it comes from the cache.
    assert!(
        reused >= first,
        "reused {reused} of a first turn of {first}"
    );
    assert!(second < 20, "{second} new tokens in the second turn");
    chat.exp_string("> ").unwrap();
    chat.send_control('d').unwrap();
    chat.exp_eof().unwrap();
    let status = chat.process().wait().unwrap();
    assert!(
        matches!(status, rexpect::process::WaitStatus::Exited(_, 0)),
        "{status:?}"
    );
}

#[test]
fn every_architecture_runs_as_the_library_generates() {
    for &arch in tiny::ARCHS {
        let t = Test::new();
        std::fs::create_dir_all(t.path("work")).unwrap();
        let path = t.path(&format!("work/{arch}.gguf"));
        TinyModel::of(arch, 13).write_gguf(&path, tiny::Q8_0, &[]);
        let lm = CausalLm::load(&path).unwrap();
        assert_eq!(lm.describe().architecture, arch);
        let prompt = lm.encode("the hen", false).unwrap();
        let tokens = lm
            .generate(&prompt, Default::default(), 8, |_| Ok(true))
            .unwrap()
            .tokens;
        let want = lm.decode(&tokens).unwrap();
        assert!(!want.is_empty(), "{arch}");
        let file = format!("work/{arch}.gguf");
        let out = t
            .cmd(["run", &file, "-p", "the hen", "-n", "8"])
            .success()
            .stdout();
        assert!(out.contains(&want), "{arch}: {out:?} lacks {want:?}");
        if arch == "olmo2" {
            TinyModel::of(arch, 13).write_safetensors(&t.path("work/olmo2-hf"));
            let hf = t
                .cmd(["run", "work/olmo2-hf", "-p", "the hen", "-n", "8"])
                .success()
                .stdout();
            assert!(hf.contains(&want), "{hf:?} lacks {want:?}");
        }

        let (meta, tensors) = TinyModel::of(arch, 13).gguf_parts(tiny::Q8_0, &[]);
        let missing = tensors[tensors.len() / 2].name.clone();
        let kept: Vec<tiny::GgufTensor> =
            tensors.into_iter().filter(|t| t.name != missing).collect();
        tiny::write_gguf_file(&t.path("work/broken.gguf"), &meta, &kept);
        t.cmd(["run", "work/broken.gguf", "-p", "the"])
            .code(2)
            .stderr_has(&format!("tensor `{missing}` is missing"))
            .stderr_has("broken.gguf");
    }
}
