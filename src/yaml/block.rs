//! A fast reader for the plain block YAML that commons itself writes
//! (`serde_yaml::to_string` of a manifest or configuration): nested block
//! mappings and sequences of one-line plain or single-quoted scalars.
//!
//! It is a shortcut, never an authority: it accepts only documents whose
//! reading is unambiguous in that small subset and gives exactly what
//! serde_yaml gives for them. Anything else (comments, flow collections,
//! anchors, tags, block or double-quoted scalars, multi-line scalars, blank
//! lines, tabs, a type it does not handle, any error at all) makes it
//! decline, and the caller reads the document with serde_yaml, which
//! reports errors with their line and column.

use serde::de::{self, DeserializeSeed, Visitor};
use std::borrow::Cow;

/// Why the shortcut declined; the caller falls back to serde_yaml.
#[derive(Debug)]
pub struct Declined;

impl std::fmt::Display for Declined {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("not plain block YAML")
    }
}

impl std::error::Error for Declined {}

impl de::Error for Declined {
    fn custom<T: std::fmt::Display>(_: T) -> Declined {
        Declined
    }
}

type Result<T> = std::result::Result<T, Declined>;

/// `text` read as `T`, or `None` when serde_yaml must read it.
pub fn parse<T: de::DeserializeOwned>(text: &str) -> Option<T> {
    let node = Reader::new(text).document().ok()?;
    T::deserialize(&node).ok()
}

#[derive(Debug, PartialEq)]
enum Node<'a> {
    Plain(&'a str),
    Quoted(Cow<'a, str>),
    Map(Vec<(&'a str, Node<'a>)>),
    Seq(Vec<Node<'a>>),
}

/// The document's lines, read one after another.
struct Reader<'a> {
    lines: Vec<&'a str>,
    next: usize,
}

impl<'a> Reader<'a> {
    fn new(text: &'a str) -> Reader<'a> {
        let body = text.strip_suffix('\n').unwrap_or(text);
        Reader {
            lines: body.split('\n').collect(),
            next: 0,
        }
    }

    /// The indentation and content of the next line, if any.
    fn peek(&self) -> Option<(usize, &'a str)> {
        let line = *self.lines.get(self.next)?;
        let content = line.trim_start_matches(' ');
        Some((line.len() - content.len(), content))
    }

    fn document(mut self) -> Result<Node<'a>> {
        match self.peek() {
            Some((0, content)) if !content.is_empty() => {}
            _ => return Err(Declined),
        }
        let (_, first) = self.peek().ok_or(Declined)?;
        self.next += 1;
        let node = self.mapping(0, first)?;
        if self.next != self.lines.len() {
            return Err(Declined);
        }
        Ok(node)
    }

    /// A block mapping whose keys sit at column `indent`; `first` is its
    /// first entry, the rest of a line already taken.
    fn mapping(&mut self, indent: usize, first: &'a str) -> Result<Node<'a>> {
        let mut entries = Vec::new();
        let mut line = first;
        loop {
            let (key, rest) = split_key(line)?;
            let value = if rest.is_empty() {
                self.nested(indent)?
            } else {
                let value = scalar(rest)?;
                self.no_continuation(indent)?;
                value
            };
            entries.push((key, value));
            match self.peek() {
                Some((i, content)) if i == indent && !content.starts_with('-') => {
                    self.next += 1;
                    line = content;
                }
                Some((i, _)) if i > indent => return Err(Declined),
                // A sequence at this indentation is the parent's to read:
                // a mapping in a sequence item ends at the next item.
                _ => return Ok(Node::Map(entries)),
            }
        }
    }

    /// The value of a key at column `indent` whose line ends after the
    /// colon: a block sequence (at that column or deeper) or a mapping
    /// (deeper). An empty value is left to serde_yaml.
    fn nested(&mut self, indent: usize) -> Result<Node<'a>> {
        let (i, content) = self.peek().ok_or(Declined)?;
        if content.starts_with("- ") && i >= indent {
            self.sequence(i)
        } else if i > indent && !content.starts_with('-') {
            self.next += 1;
            self.mapping(i, content)
        } else {
            Err(Declined)
        }
    }

    /// A block sequence whose dashes sit at column `indent`.
    fn sequence(&mut self, indent: usize) -> Result<Node<'a>> {
        let mut items = Vec::new();
        while let Some((i, content)) = self.peek() {
            if i < indent {
                break;
            }
            if i > indent {
                return Err(Declined);
            }
            let Some(item) = content.strip_prefix("- ") else {
                // A key of the mapping this sequence is the value of.
                break;
            };
            self.next += 1;
            if looks_like_entry(item) {
                items.push(self.mapping(indent + 2, item)?);
            } else {
                items.push(scalar(item)?);
                self.no_continuation(indent)?;
            }
        }
        Ok(Node::Seq(items))
    }

    /// Refuses a line more indented than `indent` after a scalar: it would
    /// continue that scalar.
    fn no_continuation(&self, indent: usize) -> Result<()> {
        match self.peek() {
            Some((i, _)) if i > indent => Err(Declined),
            Some((_, "")) => Err(Declined),
            _ => Ok(()),
        }
    }
}

/// Whether a sequence item starts a mapping (`- key: …` or `- key:`), not
/// a scalar such as `- https://example.org`.
fn looks_like_entry(item: &str) -> bool {
    let end = item
        .bytes()
        .position(|b| !(b.is_ascii_alphanumeric() || b == b'_'))
        .unwrap_or(item.len());
    end > 0 && matches!(item.as_bytes()[end..], [b':'] | [b':', b' ', ..])
}

/// `key: rest` or `key:` split at the colon; keys are plain identifiers.
fn split_key(line: &str) -> Result<(&str, &str)> {
    let end = line
        .bytes()
        .position(|b| !(b.is_ascii_alphanumeric() || b == b'_'))
        .ok_or(Declined)?;
    let first = *line.as_bytes().first().ok_or(Declined)?;
    if end == 0 || first.is_ascii_digit() {
        return Err(Declined);
    }
    let (key, rest) = line.split_at(end);
    match rest.as_bytes() {
        [b':'] => Ok((key, "")),
        [b':', b' ', ..] => Ok((key, &rest[2..])),
        _ => Err(Declined),
    }
}

/// A one-line scalar: plain, or single-quoted.
fn scalar(text: &str) -> Result<Node<'_>> {
    if let Some(quoted) = text.strip_prefix('\'') {
        return single_quoted(quoted);
    }
    let bytes = text.as_bytes();
    let first = *bytes.first().ok_or(Declined)?;
    if b"-?:,[]{}#&*!|>'\"%@` ".contains(&first) || text.ends_with([' ', ':']) {
        return Err(Declined);
    }
    // One pass over the bytes: no `: ` (a mapping inside the scalar), no
    // ` #` (a comment), no control character; other characters than ASCII
    // are then checked one by one.
    let mut ascii = true;
    for (i, &b) in bytes.iter().enumerate() {
        match b {
            b':' if bytes.get(i + 1) == Some(&b' ') => return Err(Declined),
            b'#' if i > 0 && bytes[i - 1] == b' ' => return Err(Declined),
            0..0x20 | 0x7f => return Err(Declined),
            0x80.. => ascii = false,
            _ => {}
        }
    }
    if !ascii && !text.chars().all(printable) {
        return Err(Declined);
    }
    Ok(Node::Plain(text))
}

/// The rest of a single-quoted scalar after its opening quote, which must
/// close at the end of the line.
fn single_quoted(text: &str) -> Result<Node<'_>> {
    let body = text.strip_suffix('\'').ok_or(Declined)?;
    if !body.chars().all(printable) {
        return Err(Declined);
    }
    if !body.contains('\'') {
        return Ok(Node::Quoted(Cow::Borrowed(body)));
    }
    // Inside, a quote is written twice; a lone one would end the scalar.
    let mut out = String::with_capacity(body.len());
    let mut chars = body.chars();
    while let Some(c) = chars.next() {
        if c == '\'' && chars.next() != Some('\'') {
            return Err(Declined);
        }
        out.push(c);
    }
    Ok(Node::Quoted(Cow::Owned(out)))
}

/// Characters a one-line scalar may hold here: printable, and none that
/// YAML reads as a line break (NEL, LS, PS) or a byte order mark.
fn printable(c: char) -> bool {
    matches!(c, ' '..='~' | '\u{A0}'..='\u{D7FF}' | '\u{E000}'..='\u{FFFD}' | '\u{10000}'..)
        && !matches!(c, '\u{2028}' | '\u{2029}' | '\u{FEFF}')
}

fn is_null(s: &str) -> bool {
    matches!(s, "" | "null" | "Null" | "NULL" | "~")
}

impl<'de> de::Deserializer<'de> for &'de Node<'de> {
    type Error = Declined;

    fn deserialize_any<V: Visitor<'de>>(self, _: V) -> Result<V::Value> {
        Err(Declined)
    }

    fn deserialize_bool<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        match self {
            Node::Plain("true" | "True" | "TRUE") => visitor.visit_bool(true),
            Node::Plain("false" | "False" | "FALSE") => visitor.visit_bool(false),
            _ => Err(Declined),
        }
    }

    fn deserialize_u64<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        match self {
            Node::Plain(s)
                if s.bytes().all(|b| b.is_ascii_digit()) && (*s == "0" || !s.starts_with('0')) =>
            {
                visitor.visit_u64(s.parse().map_err(|_| Declined)?)
            }
            _ => Err(Declined),
        }
    }

    fn deserialize_str<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        match self {
            Node::Plain(s) => visitor.visit_borrowed_str(s),
            Node::Quoted(Cow::Borrowed(s)) => visitor.visit_borrowed_str(s),
            Node::Quoted(Cow::Owned(s)) => visitor.visit_str(s),
            _ => Err(Declined),
        }
    }

    fn deserialize_string<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        self.deserialize_str(visitor)
    }

    fn deserialize_identifier<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        self.deserialize_str(visitor)
    }

    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        match self {
            Node::Plain(s) if is_null(s) => visitor.visit_none(),
            _ => visitor.visit_some(self),
        }
    }

    fn deserialize_seq<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        match self {
            Node::Seq(items) => {
                let mut access = SeqAccess(items.iter());
                let value = visitor.visit_seq(&mut access)?;
                all_taken(value, access.0)
            }
            _ => Err(Declined),
        }
    }

    fn deserialize_struct<V: Visitor<'de>>(
        self,
        _: &'static str,
        _: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value> {
        match self {
            Node::Map(entries) => {
                let mut access = MapAccess {
                    entries: entries.iter(),
                    value: None,
                };
                let value = visitor.visit_map(&mut access)?;
                all_taken(value, access.entries)
            }
            _ => Err(Declined),
        }
    }

    fn deserialize_enum<V: Visitor<'de>>(
        self,
        _: &'static str,
        _: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value> {
        match self {
            Node::Plain(s) if !s.is_empty() => visitor.visit_enum(UnitVariant(self)),
            _ => Err(Declined),
        }
    }

    serde::forward_to_deserialize_any! {
        i8 i16 i32 i64 i128 u8 u16 u32 u128 f32 f64 char bytes byte_buf unit
        unit_struct newtype_struct tuple tuple_struct map ignored_any
    }
}

/// `value`, when the visitor took every item of `rest`: serde_yaml reports
/// what a visitor leaves, so anything left is declined.
fn all_taken<T>(value: T, mut rest: impl Iterator) -> Result<T> {
    match rest.next() {
        None => Ok(value),
        Some(_) => Err(Declined),
    }
}

struct SeqAccess<'de>(std::slice::Iter<'de, Node<'de>>);

impl<'de> de::SeqAccess<'de> for SeqAccess<'de> {
    type Error = Declined;

    fn next_element_seed<T: DeserializeSeed<'de>>(&mut self, seed: T) -> Result<Option<T::Value>> {
        self.0.next().map(|n| seed.deserialize(n)).transpose()
    }

    fn size_hint(&self) -> Option<usize> {
        Some(self.0.len())
    }
}

struct MapAccess<'de> {
    entries: std::slice::Iter<'de, (&'de str, Node<'de>)>,
    value: Option<&'de Node<'de>>,
}

impl<'de> de::MapAccess<'de> for MapAccess<'de> {
    type Error = Declined;

    fn next_key_seed<K: DeserializeSeed<'de>>(&mut self, seed: K) -> Result<Option<K::Value>> {
        let Some((key, value)) = self.entries.next() else {
            return Ok(None);
        };
        self.value = Some(value);
        seed.deserialize(de::value::BorrowedStrDeserializer::<Declined>::new(key))
            .map(Some)
    }

    fn next_value_seed<V: DeserializeSeed<'de>>(&mut self, seed: V) -> Result<V::Value> {
        seed.deserialize(self.value.take().ok_or(Declined)?)
    }
}

/// An enum written as its variant's name.
struct UnitVariant<'de>(&'de Node<'de>);

impl<'de> de::EnumAccess<'de> for UnitVariant<'de> {
    type Error = Declined;
    type Variant = Self;

    fn variant_seed<V: DeserializeSeed<'de>>(self, seed: V) -> Result<(V::Value, Self)> {
        Ok((seed.deserialize(self.0)?, self))
    }
}

impl<'de> de::VariantAccess<'de> for UnitVariant<'de> {
    type Error = Declined;

    fn unit_variant(self) -> Result<()> {
        Ok(())
    }

    fn newtype_variant_seed<T: DeserializeSeed<'de>>(self, _: T) -> Result<T::Value> {
        Err(Declined)
    }

    fn tuple_variant<V: Visitor<'de>>(self, _: usize, _: V) -> Result<V::Value> {
        Err(Declined)
    }

    fn struct_variant<V: Visitor<'de>>(self, _: &'static [&'static str], _: V) -> Result<V::Value> {
        Err(Declined)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::manifest::Manifest;

    /// Reads `text` both ways: where the shortcut accepts it, serde_yaml
    /// must read the same (and so must accept it).
    pub(crate) fn agrees(text: &str) -> bool {
        let fast: Option<Manifest> = parse(text);
        let slow = serde_yaml::from_str::<Manifest>(text);
        match fast {
            Some(fast) => {
                let slow = slow
                    .unwrap_or_else(|e| panic!("{text:?}: shortcut read it, not serde_yaml: {e}"));
                assert_eq!(fast, slow, "{text:?}");
                true
            }
            None => false,
        }
    }

    const MANIFEST: &str = "schema: commons/v1\nkind: model\nid: lab/m\nlicense:\n  expression: LicenseRef-llama3.1\n  notices:\n  - Llama 3.1 is licensed under the Llama 3.1 Community License, Copyright © Meta Platforms, Inc. All Rights Reserved.\n  license_files:\n  - LICENSE\n  display_attribution: Built with Llama\nsource:\n  local: trained by the lab\nmodel:\n  derived_from:\n  - id: lab/wide-3375\n    relation: fine-tune\n    digest: be17edb6d451958cb0058d4525e561d348b8271c66ce31bef5aa8a6429622931\n  - id: lab/b\n    relation: merge\n  use_restrictions:\n  - Llama 3.1 Acceptable Use Policy\n  published_name: Llama-3.1-Lab\n  weights: published\n  commercial: true\n";

    #[test]
    fn reads_what_commons_writes_as_serde_yaml_does() {
        assert!(agrees(MANIFEST));
        let mut m = Manifest::new(crate::manifest::Kind::Dataset, "lab/d");
        m.title = Some("123".into());
        m.description = Some("it's: 'quoted', # not a comment".into());
        let ds = m.dataset.as_mut().unwrap();
        ds.items = Some(42);
        ds.languages = vec!["null".into(), "true".into(), "~".into(), "a, b".into()];
        ds.collection = Some("x#y: z".into());
        ds.consent = Some(String::new());
        assert!(agrees(&m.to_yaml()), "{}", m.to_yaml());
        // Deeper indentation than commons writes.
        let indented = "schema: commons/v1\nkind: model\nid: lab/m\nsource:\n   local: here\nmodel:\n    derived_from:\n      - id: lab/a\n        relation: fine-tune\n      - id: lab/b\n        relation: merge\n    use_restrictions:\n    - 'a: b'\n    - https://example.org/x\n";
        assert!(agrees(indented));
    }

    #[test]
    fn declines_what_it_does_not_read_exactly() {
        let variants = [
            MANIFEST.replace("kind: model", "kind: model # a comment"),
            MANIFEST.replace("id: lab/m", "id: lab/m\n"),
            MANIFEST.replace("id: lab/m", "id: 'lab/m"),
            MANIFEST.replace("id: lab/m", "id: \"lab/m\""),
            MANIFEST.replace("id: lab/m", "id: &a lab/m"),
            MANIFEST.replace("id: lab/m", "id: !!str lab/m"),
            MANIFEST.replace("id: lab/m", "id: lab/m\n  continued"),
            MANIFEST.replace("id: lab/m", "id: lab/m "),
            MANIFEST.replace("id: lab/m", "id:  lab/m"),
            MANIFEST.replace("id: lab/m", "id: [lab/m]"),
            MANIFEST.replace("id: lab/m", "id: |\n  lab/m"),
            MANIFEST.replace("id: lab/m", "id: lab/m: x"),
            MANIFEST.replace("id: lab/m", "id:\tlab/m"),
            MANIFEST.replace("id: lab/m", "id: lab\u{85}m"),
            MANIFEST.replace("id: lab/m", "id: lab/m\r"),
            MANIFEST.replace("id: lab/m", "id: ''lab/m'"),
            MANIFEST.replace("weights: published", "weights: 'published'"),
            MANIFEST.replace("commercial: true", "commercial: yes"),
            MANIFEST.replace("source:\n  local: trained by the lab", "source:"),
            format!("---\n{MANIFEST}"),
            format!("{MANIFEST}...\n"),
            format!("{MANIFEST}unknown: x\n"),
            format!("{MANIFEST}id: again\n"),
            format!("\u{FEFF}{MANIFEST}"),
            String::new(),
        ];
        for text in &variants {
            assert!(!agrees(text), "{text:?}");
        }
    }
}
