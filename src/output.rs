//! The one place that decides how results look: tables, JSON, SARIF,
//! progress bars, status lines and errors.
//!
//! Results go to stdout; progress, status and errors to stderr. Progress bars
//! show only when stderr is a terminal and output is not for a machine.

use std::io::{IsTerminal, Write};

use indicatif::{ProgressBar, ProgressStyle};
use serde::Serialize;

use crate::finding::{Finding, Report, Severity};
use crate::rule::Tool;

/// When reports use colour.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum ColorChoice {
    Auto,
    Always,
    Never,
}

static COLOR: std::sync::OnceLock<bool> = std::sync::OnceLock::new();

/// Decides once whether stdout gets colour: `auto` means a terminal, no
/// `$NO_COLOR` and not `TERM=dumb`.
pub fn set_color(choice: ColorChoice) {
    let on = match choice {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto => {
            std::io::stdout().is_terminal()
                && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
                && std::env::var("TERM").map_or(true, |t| t != "dumb")
        }
    };
    let _ = COLOR.set(on);
}

/// `text` in an SGR colour (`31` red, `33` yellow, `36` cyan, `32` green)
/// when colour is on.
fn paint(text: &str, sgr: &str) -> String {
    if *COLOR.get().unwrap_or(&false) {
        format!("\x1b[{sgr}m{text}\x1b[0m")
    } else {
        text.to_owned()
    }
}

fn severity_label(s: Severity) -> String {
    match s {
        Severity::Error => paint("error", "1;31"),
        Severity::Warning => paint("warning", "33"),
        Severity::Note => paint("note", "36"),
    }
}

/// Output format for commands that report findings.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum ReportFormat {
    Human,
    Json,
    /// SARIF 2.1.0 (GitHub code scanning and other SARIF viewers)
    Sarif,
    /// GitLab's code-quality report (a JSON array of issues)
    Gitlab,
}

/// Output format for commands that print records.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum DataFormat {
    Human,
    Json,
}

#[derive(Debug, Clone)]
pub struct Printer {
    quiet: bool,
    verbose: bool,
    stderr_tty: bool,
}

impl Printer {
    pub fn new(quiet: bool, verbose: bool) -> Printer {
        Printer {
            quiet,
            verbose: verbose && !quiet,
            stderr_tty: std::io::stderr().is_terminal(),
        }
    }

    /// With `--verbose` and human output: what a run checked and what it
    /// skipped, on stderr.
    pub fn examined(&self, examined: &crate::finding::Examined, machine: bool) {
        if !self.verbose || machine {
            return;
        }
        for line in &examined.checked {
            eprintln!("{:>12} {line}", "Checked");
        }
        for line in &examined.skipped {
            eprintln!("{:>12} {line}", "Skipped");
        }
    }

    /// A status line on stderr ("Committed …"), unless quiet.
    pub fn status(&self, verb: &str, message: impl std::fmt::Display) {
        if !self.quiet {
            eprintln!("{verb:>12} {message}");
        }
    }

    pub fn warn(&self, message: impl std::fmt::Display) {
        eprintln!("warning: {message}");
    }

    /// A progress bar over `len` units (bytes when `bytes`), hidden when
    /// stderr is not a terminal, when quiet, or when `machine` output is on.
    pub fn progress(&self, len: u64, bytes: bool, machine: bool) -> ProgressBar {
        if self.quiet || machine || !self.stderr_tty {
            return ProgressBar::hidden();
        }
        let template = if bytes {
            "{spinner} {msg} [{bar:30}] {bytes}/{total_bytes} {binary_bytes_per_sec} eta {eta}"
        } else {
            "{spinner} {msg} [{bar:30}] {pos}/{len} eta {eta}"
        };
        let bar = ProgressBar::new(len);
        bar.set_style(
            ProgressStyle::with_template(template)
                .expect("valid template")
                .progress_chars("=> "),
        );
        bar
    }

    pub fn progress_enabled(&self, machine: bool) -> bool {
        !(self.quiet || machine || !self.stderr_tty)
    }
}

/// A progress bar fed by hashing.
pub struct BarProgress(pub ProgressBar);

impl crate::digest::HashProgress for BarProgress {
    fn start(&self, total_bytes: u64) {
        self.0.set_length(total_bytes);
    }

    fn advance(&self, bytes: u64) {
        self.0.inc(bytes);
    }
}

/// Prints a value as pretty JSON on stdout.
pub fn print_json<T: Serialize>(value: &T) -> anyhow::Result<()> {
    // Block-buffered: stdout alone flushes at every newline, one write per
    // line of a report that can have millions.
    let mut out = std::io::BufWriter::with_capacity(1 << 16, std::io::stdout().lock());
    serde_json::to_writer_pretty(&mut out, value)?;
    writeln!(out)?;
    out.flush()?;
    Ok(())
}

/// Writes a document to stdout as it is, block-buffered.
pub fn print_text(text: &str) -> anyhow::Result<()> {
    let mut out = std::io::BufWriter::with_capacity(1 << 16, std::io::stdout().lock());
    out.write_all(text.as_bytes())?;
    out.flush()?;
    Ok(())
}

/// Prints each value as compact JSON on a line of its own (JSON Lines).
pub fn print_json_lines<T: Serialize>(values: &[T]) -> anyhow::Result<()> {
    let mut out = std::io::BufWriter::with_capacity(1 << 16, std::io::stdout().lock());
    for value in values {
        serde_json::to_writer(&mut out, value)?;
        writeln!(out)?;
    }
    out.flush()?;
    Ok(())
}

/// A listing in the house style: a table that fits the terminal, or one
/// block per row when it does not (see [`crate::listing`]).
pub fn table(header: &[&str]) -> crate::listing::Listing {
    crate::listing::Listing::new(header)
}

/// Prints an error and its causes on stderr.
pub fn print_error(e: &anyhow::Error) {
    let mut msg = format!("error: {e}");
    for cause in e.chain().skip(1) {
        msg.push_str(&format!("\n  caused by: {cause}"));
    }
    eprintln!("{msg}");
}

/// The `--format json` report of `verify` and `check` (version 1): stable
/// field names, rules by their names in [`crate::rule::Rule`].
#[derive(Debug, Serialize, serde::Deserialize, PartialEq)]
pub struct JsonReport {
    pub version: u32,
    pub tool: String,
    pub subjects: Vec<String>,
    pub findings: Vec<Finding>,
    pub summary: crate::finding::Summary,
}

impl JsonReport {
    pub fn new(report: &Report, tool: Tool) -> JsonReport {
        JsonReport {
            version: 1,
            tool: tool.as_str().to_owned(),
            subjects: report.subjects.clone(),
            findings: report.findings.clone(),
            summary: report.summary(),
        }
    }
}

/// Renders a report of findings of `tool` in the chosen format.
pub fn print_report(report: &Report, format: ReportFormat, tool: Tool) -> anyhow::Result<()> {
    match format {
        ReportFormat::Human => print_report_human(report),
        ReportFormat::Json => print_json(&JsonReport::new(report, tool)),
        ReportFormat::Sarif => print_json(&crate::code_scanning::log(report, tool)),
        ReportFormat::Gitlab => print_json(&crate::code_scanning::gitlab(report, tool)),
    }
}

fn print_report_human(report: &Report) -> anyhow::Result<()> {
    let mut out = std::io::BufWriter::with_capacity(1 << 16, std::io::stdout().lock());
    for f in &report.findings {
        let location = match (&f.file, &f.field, f.line) {
            (Some(file), Some(field), Some(line)) => format!("{file}:{line}: {field}: "),
            (Some(file), Some(field), None) => format!("{file}: {field}: "),
            (Some(file), None, Some(line)) => format!("{file}:{line}: "),
            (Some(file), None, None) => format!("{file}: "),
            (None, _, _) => f.id.as_ref().map(|i| format!("{i}: ")).unwrap_or_default(),
        };
        writeln!(
            out,
            "{}[{}]: {location}{}",
            severity_label(f.severity),
            f.rule,
            f.message
        )?;
        if !f.chain.is_empty() {
            writeln!(out, "    chain: {}", f.chain.join(" -> "))?;
        }
        if let Some(why) = &f.waived {
            writeln!(out, "    waived: {why}")?;
        } else if let Some(fix) = &f.fix {
            writeln!(out, "    fix: {fix}")?;
        }
    }
    let s = report.summary();
    let mut unchecked = match s.files_not_checked {
        0 => String::new(),
        n => format!("; files not checked: {n}"),
    };
    if s.waived > 0 {
        unchecked.push_str(&format!("; waived: {}", s.waived));
    }
    let errors = format!("{} error(s)", s.errors);
    let errors = if s.errors == 0 {
        paint(&errors, "32")
    } else {
        paint(&errors, "1;31")
    };
    writeln!(
        out,
        "{} checked: {errors}, {} warning(s), {} note(s){unchecked}",
        s.subjects, s.warnings, s.notes
    )?;
    if !report.upstream.is_empty() && !report.findings.is_empty() {
        let tally = |t: crate::finding::Tally| {
            format!(
                "{} error(s), {} warning(s), {} note(s)",
                t.errors, t.warnings, t.notes
            )
        };
        let from = if s.inherited_from.is_empty() {
            String::new()
        } else {
            format!(" ({})", s.inherited_from.join(", "))
        };
        writeln!(
            out,
            "  your records: {}; inherited from {} upstream record(s): {}{from}",
            tally(s.own),
            report.upstream.len(),
            tally(s.inherited)
        )?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Arbitrary findings → `--format json` → parsed back: the same report.
    #[test]
    fn fuzz_json_round_trip() {
        let words: &[&[u8]] = &[
            b"\"",
            b"\\",
            b"\x1f",
            b"\0",
            b"\xc3\xa9",
            b"\xf0\x9f\x98\x80",
            b"\xed\xa0\x80",
        ];
        crate::fuzz::fuzz("json-report", words, Vec::new(), |bytes| {
            let report = crate::code_scanning::tests::arbitrary_report(bytes);
            for tool in [Tool::Verify, Tool::Check] {
                let written = JsonReport::new(&report, tool);
                let json = serde_json::to_string_pretty(&written).expect("serialises");
                let read: JsonReport = serde_json::from_str(&json).expect("parses back");
                assert_eq!(read, written);
                assert_eq!(read.findings, report.findings);
                let s = &read.summary;
                assert_eq!(s.errors + s.warnings + s.notes, report.findings.len());
                assert_eq!(
                    s.own.errors + s.inherited.errors,
                    s.errors,
                    "own and inherited add up"
                );
            }
        });
    }
}
