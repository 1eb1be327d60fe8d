//! [`TextStream`]: generated tokens turned into text as they come, for a
//! reader watching it appear: text is released only once it is whole (no
//! half of a UTF-8 character) and cannot be the start of a stop string, and
//! a stop string ends the text before it.

use super::tokenizer::TextTokenizer;
use crate::error::Result;

/// The text of a generation so far, and how much of it was released.
pub struct TextStream<'a> {
    tokenizer: &'a TextTokenizer,
    stops: &'a [String],
    ids: Vec<u32>,
    text: String,
    shown: usize,
    stopped: bool,
}

impl<'a> TextStream<'a> {
    pub fn new(tokenizer: &'a TextTokenizer, stops: &'a [String]) -> TextStream<'a> {
        TextStream {
            tokenizer,
            stops,
            ids: Vec::new(),
            text: String::new(),
            shown: 0,
            stopped: false,
        }
    }

    /// Adds a token; returns the text it releases (often empty).
    pub fn push(&mut self, id: u32) -> Result<&str> {
        self.ids.push(id);
        self.text = self.tokenizer.decode(&self.ids)?;
        let end = match first_stop(&self.text, self.stops) {
            Some(at) => {
                self.stopped = true;
                self.text.truncate(at);
                at
            }
            None => self.releasable(),
        };
        Ok(self.release(end))
    }

    /// Whether a stop string was met: generation should end.
    pub fn stopped(&self) -> bool {
        self.stopped
    }

    /// The text held back until now, once no token follows.
    pub fn finish(&mut self) -> &str {
        self.release(self.text.len())
    }

    /// The whole text, up to any stop string.
    pub fn text(&self) -> &str {
        &self.text
    }

    fn release(&mut self, end: usize) -> &str {
        if end <= self.shown || !self.text.is_char_boundary(self.shown) {
            return "";
        }
        let start = std::mem::replace(&mut self.shown, end);
        &self.text[start..end]
    }

    /// The end of the text that may be shown: short of an unfinished
    /// character and of a suffix that may begin a stop string.
    fn releasable(&self) -> usize {
        let text = self.text.trim_end_matches('\u{fffd}');
        let held = self
            .stops
            .iter()
            .flat_map(|s| {
                (1..s.len())
                    .filter(|&n| s.is_char_boundary(n))
                    .map(|n| &s[..n])
            })
            .filter(|prefix| text.ends_with(prefix))
            .map(str::len)
            .max()
            .unwrap_or(0);
        text.len() - held
    }
}

/// Where the first stop string begins in `text`.
fn first_stop(text: &str, stops: &[String]) -> Option<usize> {
    stops
        .iter()
        .filter(|s| !s.is_empty())
        .filter_map(|s| text.find(s.as_str()))
        .min()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_first_stop_string_wins() {
        let stops = vec!["END".to_owned(), "\n\n".to_owned()];
        assert_eq!(first_stop("a\n\nb END", &stops), Some(1));
        assert_eq!(first_stop("abc", &stops), None);
        assert_eq!(first_stop("abc", &["".to_owned()]), None);
    }
}
