//! SPDX license expressions, and the choices they offer.
//!
//! Parsing is the `spdx` crate's (AND binds tighter than OR, WITH tighter
//! than both). For compliance what matters is the set of choices an
//! expression leaves to whoever receives the work: `MIT OR (Apache-2.0 AND
//! CC-BY-4.0)` may be taken under MIT alone, or under Apache-2.0 and
//! CC-BY-4.0 together. [`Choices`] is that disjunctive normal form: a list of
//! options, each a set of license ids that must all be honoured.

use spdx::expression::{ExprNode, Operator};

/// Parses an SPDX expression (lax: accepts `LicenseRef-` ids and `/` as OR).
pub fn parse(text: &str) -> Result<spdx::Expression, String> {
    spdx::Expression::parse_mode(text, spdx::ParseMode::LAX)
        .map_err(|e| format!("invalid SPDX expression: {e}"))
}

/// Expressions whose normal form would exceed this many options are cut
/// short; real license expressions have a handful.
const MAX_OPTIONS: usize = 256;

/// The options an expression offers: any one option may be chosen, and every
/// license in the chosen option must be honoured.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Choices {
    pub options: Vec<Vec<String>>,
}

impl Choices {
    /// The choices of a parsed expression.
    pub fn of(expr: &spdx::Expression) -> Choices {
        let mut stack: Vec<Vec<Vec<String>>> = Vec::new();
        for node in expr.iter() {
            match node {
                ExprNode::Req(r) => stack.push(vec![vec![license_key(&r.req)]]),
                ExprNode::Op(op) => {
                    let (Some(b), Some(a)) = (stack.pop(), stack.pop()) else {
                        continue;
                    };
                    stack.push(match op {
                        Operator::Or => either(a, b),
                        Operator::And => both(&a, &b),
                    });
                }
            }
        }
        let mut options = stack.pop().unwrap_or_default();
        for option in &mut options {
            option.sort();
            option.dedup();
        }
        options.sort();
        options.dedup();
        Choices { options }
    }

    /// Parses `text` and returns its choices.
    pub fn parse(text: &str) -> Result<Choices, String> {
        parse(text).map(|e| Choices::of(&e))
    }

    /// Every license id named anywhere in the expression.
    pub fn licenses(&self) -> impl Iterator<Item = &str> {
        self.options.iter().flatten().map(String::as_str)
    }
}

fn either(mut a: Vec<Vec<String>>, b: Vec<Vec<String>>) -> Vec<Vec<String>> {
    a.extend(b);
    a.truncate(MAX_OPTIONS);
    a
}

fn both(a: &[Vec<String>], b: &[Vec<String>]) -> Vec<Vec<String>> {
    let mut out = Vec::with_capacity(a.len() * b.len());
    for x in a {
        for y in b {
            if out.len() == MAX_OPTIONS {
                return out;
            }
            let mut option = x.clone();
            option.extend(y.iter().cloned());
            out.push(option);
        }
    }
    out
}

/// The id under which the catalog knows a requirement: the SPDX id (with `+`
/// when "or later" was written) or the `LicenseRef-` name. An exception
/// (`WITH`) only adds permissions, so it does not change which obligations
/// apply.
pub fn license_key(req: &spdx::LicenseReq) -> String {
    match &req.license {
        spdx::LicenseItem::Spdx { id, or_later } => {
            if *or_later && !id.name.ends_with("-or-later") {
                format!("{}+", id.name)
            } else {
                id.name.to_owned()
            }
        }
        spdx::LicenseItem::Other(r) => format!("LicenseRef-{}", r.lic_ref),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fuzz_spdx_expression() {
        let words: &[&[u8]] = &[
            b" OR ",
            b" AND ",
            b" WITH ",
            b"(",
            b")",
            b"+",
            b"/",
            b"LicenseRef-",
            b"DocumentRef-",
            b"MIT",
            b"Apache-2.0",
            b"GPL-2.0-or-later",
            b"Classpath-exception-2.0",
            b"CC-BY-4.0",
        ];
        crate::fuzz::fuzz("spdx", words, Vec::new(), |bytes| {
            if let Ok(text) = std::str::from_utf8(bytes) {
                let _ = parse(text);
                let _ = Choices::parse(text);
            }
        });
    }

    fn opts(text: &str) -> Vec<Vec<String>> {
        Choices::parse(text).unwrap().options
    }

    fn v(items: &[&[&str]]) -> Vec<Vec<String>> {
        items
            .iter()
            .map(|o| o.iter().map(|s| s.to_string()).collect())
            .collect()
    }

    #[test]
    fn and_binds_tighter_than_or() {
        assert_eq!(
            opts("MIT OR Apache-2.0 AND CC-BY-4.0"),
            v(&[&["Apache-2.0", "CC-BY-4.0"], &["MIT"]])
        );
        assert_eq!(
            opts("(MIT OR Apache-2.0) AND CC-BY-4.0"),
            v(&[&["Apache-2.0", "CC-BY-4.0"], &["CC-BY-4.0", "MIT"]])
        );
    }

    #[test]
    fn with_keeps_the_base_license() {
        assert_eq!(
            opts("GPL-2.0-only WITH Classpath-exception-2.0 OR MIT"),
            v(&[&["GPL-2.0-only"], &["MIT"]])
        );
    }

    #[test]
    fn license_refs_and_or_later() {
        assert_eq!(opts("LicenseRef-llama3.1"), v(&[&["LicenseRef-llama3.1"]]));
        assert_eq!(opts("GPL-3.0-or-later"), v(&[&["GPL-3.0-or-later"]]));
        assert_eq!(opts("Apache-2.0+"), v(&[&["Apache-2.0+"]]));
    }

    #[test]
    fn rejects_garbage() {
        assert!(parse("MIT OR").is_err());
        assert!(parse("NOT-A-LICENSE").is_err());
    }
}
