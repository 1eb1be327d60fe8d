//! Text for perplexity: WikiText's document-level pages, or a whole file.

use std::path::Path;
use std::sync::LazyLock;

use regex::Regex;

use super::read_text;
use crate::eval::Result;

/// One document scored by rolling windows.
#[derive(Debug, Clone, PartialEq)]
pub struct Document {
    /// The text the model reads (detokenized for WikiText).
    pub text: String,
    /// Words and bytes of the original text: the denominators of word and
    /// byte perplexity (lm-evaluation-harness counts before detokenizing).
    pub words: u64,
    pub bytes: u64,
}

impl Document {
    pub fn new(original: &str, text: String) -> Document {
        Document {
            text,
            // Python's len(re.split(r"\s+", s)): separators + 1, empty edges included
            words: WHITESPACE.split(original).count() as u64,
            bytes: original.len() as u64,
        }
    }
}

static WHITESPACE: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"\s+").expect("valid"));

/// Documents of a text file: WikiText pages (detokenized as
/// lm-evaluation-harness does) when the file has WikiText article headings,
/// otherwise the whole file as one document.
pub fn read_documents(path: &Path) -> Result<(Vec<Document>, bool)> {
    let text = read_text(path)?;
    let pages = wikitext_pages(&text);
    if pages.len() > 1 {
        let docs = pages
            .iter()
            .map(|p| Document::new(p, detokenize_wikitext(p)))
            .collect();
        Ok((docs, true))
    } else {
        Ok((vec![Document::new(&text, text.clone())], false))
    }
}

/// Splits WikiText raw text into article pages the way the
/// `EleutherAI/wikitext_document_level` dataset does: a page starts at each
/// top-level heading line (` = Title = `); lines keep their original form.
pub fn wikitext_pages(text: &str) -> Vec<String> {
    let mut pages = Vec::new();
    let mut current: Vec<&str> = Vec::new();
    for line in text.split('\n') {
        let folded = line.replace("= = =", "===").replace("= =", "==");
        let folded = folded.trim();
        if folded.starts_with("= ") && folded.ends_with(" =") {
            let page = current.join("\n");
            if !page.trim().is_empty() {
                pages.push(page);
            }
            current.clear();
        }
        current.push(line);
    }
    pages.push(current.join("\n"));
    pages
}

struct Rule {
    pattern: Regex,
    replacement: &'static str,
}

fn rule(pattern: &str, replacement: &'static str) -> Rule {
    Rule {
        pattern: Regex::new(pattern).expect("valid"),
        replacement,
    }
}

static BRACKETS: LazyLock<Vec<Rule>> = LazyLock::new(|| {
    vec![
        rule(r"\(\s*([^)]*?)\s*\)", "($1)"),
        rule(r"\[\s*([^\]]*?)\s*\]", "[$1]"),
        rule(r"\{\s*([^}]*?)\s*\}", "{$1}"),
        rule(r#""\s*([^"]*?)\s*""#, "\"$1\""),
        rule(r"'\s*([^']*?)\s*'", "'$1'"),
    ]
});

static QUOTED_DIGIT: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"/' [0-9]/").expect("valid"));

/// Undoes WikiText's tokenization (` @-@ ` → `-`, ` , ` → `, `, …) with the
/// same rules, in the same order, as lm-evaluation-harness's
/// `wikitext_detokenizer`, so that the model reads the same text.
pub fn detokenize_wikitext(page: &str) -> String {
    let mut s = page.replace("s '", "s'");
    s = QUOTED_DIGIT.replace_all(&s, "/'[0-9]/").into_owned();
    for (from, to) in [(" @-@ ", "-"), (" @,@ ", ","), (" @.@ ", ".")] {
        s = s.replace(from, to);
    }
    for (from, to) in [
        (" : ", ": "),
        (" ; ", "; "),
        (" . ", ". "),
        (" ! ", "! "),
        (" ? ", "? "),
        (" , ", ", "),
    ] {
        s = s.replace(from, to);
    }
    for r in BRACKETS.iter() {
        s = r.pattern.replace_all(&s, r.replacement).into_owned();
    }
    for (from, to) in [
        ("= = = =", "===="),
        ("= = =", "==="),
        ("= =", "=="),
        (" \u{b0} ", "\u{b0}"),
        (" \n", "\n"),
        ("\n ", "\n"),
        (" N ", " 1 "),
        (" 's", "'s"),
    ] {
        s = s.replace(from, to);
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    const RAW: &str = " \n = Alpha = \n \n Alpha is a 1 @,@ 000 @-@ year old town . \n \n = = History = = \n \n It \" grew \" ( slowly ) . \n \n = Beta = \n \n Beta 's river . \n";

    #[test]
    fn pages_start_at_top_level_headings_only() {
        let pages = wikitext_pages(RAW);
        assert_eq!(pages.len(), 2);
        assert!(pages[0].starts_with(" = Alpha = "));
        assert!(pages[0].contains("= = History = ="));
        assert!(pages[1].starts_with(" = Beta = "));
        assert!(pages[1].ends_with(" Beta 's river . \n"));
    }

    #[test]
    fn detokenizes_like_lm_eval() {
        let pages = wikitext_pages(RAW);
        let alpha = detokenize_wikitext(&pages[0]);
        assert!(
            alpha.contains("Alpha is a 1,000-year old town.\n"),
            "{alpha:?}"
        );
        assert!(alpha.contains("It \"grew\" (slowly).\n"), "{alpha:?}");
        assert!(alpha.contains("\n== History ==\n"), "{alpha:?}");
        assert_eq!(
            detokenize_wikitext(&pages[1]),
            " = Beta =\n\nBeta's river.\n"
        );
    }

    #[test]
    fn words_are_counted_like_python_re_split() {
        // re.split(r"\s+", " a b\n") == ['', 'a', 'b', '']
        assert_eq!(Document::new(" a b\n", String::new()).words, 4);
        assert_eq!(Document::new("a", String::new()).words, 1);
    }
}
