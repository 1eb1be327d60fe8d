//! Findings: what a check found, as values.
//!
//! `verify` and `check` return reports made of findings; each has a stable
//! rule code, a severity, the record (file and field) it concerns, the chain
//! of records that led to it, and the fix. The output module renders them for
//! people, as JSON, or as SARIF.

use serde::{Deserialize, Serialize};

use crate::rule::Rule;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// Worth knowing; does not fail the check.
    Note,
    /// Fails the check only under `--strict`.
    Warning,
    /// Fails the check.
    Error,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Note => "note",
            Severity::Warning => "warning",
            Severity::Error => "error",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Finding {
    /// The rule, serialised as its stable name (`signature-invalid`).
    pub rule: Rule,
    pub severity: Severity,
    /// The manifest id the finding is about, when there is one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// The file the finding concerns, relative to the commons root.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub file: Option<String>,
    /// The field within that file (e.g. `files[2].sha256`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub field: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub line: Option<usize>,
    pub message: String,
    /// The chain of records that causes it, from the subject to the cause.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub chain: Vec<String>,
    /// What to do about it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fix: Option<String>,
    /// Why it does not fail the run: a waiver of the commons' policy, or a
    /// rule allowed on the command line. A waived finding is a note.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub waived: Option<String>,
    /// About a record upstream of the ones asked about, not about the
    /// user's own (see [`Report::upstream`]).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub inherited: bool,
}

impl Finding {
    /// A finding of `rule`, at the rule's default level.
    pub fn new(rule: Rule, message: impl Into<String>) -> Finding {
        Finding {
            rule,
            severity: rule.level(),
            id: None,
            file: None,
            field: None,
            line: None,
            message: message.into(),
            chain: Vec::new(),
            fix: None,
            waived: None,
            inherited: false,
        }
    }

    pub fn id(mut self, id: impl Into<String>) -> Finding {
        self.id = Some(id.into());
        self
    }

    pub fn file(mut self, file: impl Into<String>) -> Finding {
        self.file = Some(file.into());
        self
    }

    pub fn field(mut self, field: impl Into<String>) -> Finding {
        self.field = Some(field.into());
        self
    }

    pub fn line(mut self, line: usize) -> Finding {
        self.line = Some(line);
        self
    }

    pub fn chain(mut self, chain: Vec<String>) -> Finding {
        self.chain = chain;
        self
    }

    pub fn fix(mut self, fix: impl Into<String>) -> Finding {
        self.fix = Some(fix.into());
        self
    }
}

/// The findings of one check run, with what was examined.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Report {
    /// What was examined (manifest ids, or files), for the summary.
    pub subjects: Vec<String>,
    pub findings: Vec<Finding>,
    /// The subjects examined only as upstream records of the user's own:
    /// the lineage of the records named, or, when none were named, every
    /// record another one was made from. Findings about them are inherited.
    #[serde(skip)]
    pub upstream: std::collections::BTreeSet<String>,
    /// What the run checked and what it left out, for `--verbose`; never
    /// part of the machine outputs.
    #[serde(skip)]
    pub examined: Examined,
}

/// What a run checked and what it skipped (and why), one line each.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Examined {
    pub checked: Vec<String>,
    pub skipped: Vec<String>,
}

impl Examined {
    pub fn extend(&mut self, other: Examined) {
        self.checked.extend(other.checked);
        self.skipped.extend(other.skipped);
    }
}

/// Counts of findings by level.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Tally {
    pub errors: usize,
    pub warnings: usize,
    pub notes: usize,
}

impl Tally {
    fn add(&mut self, s: Severity) {
        match s {
            Severity::Error => self.errors += 1,
            Severity::Warning => self.warnings += 1,
            Severity::Note => self.notes += 1,
        }
    }
}

/// What a report adds up to: every count the outputs show.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Summary {
    pub subjects: usize,
    pub errors: usize,
    pub warnings: usize,
    pub notes: usize,
    pub files_not_checked: usize,
    pub waived: usize,
    /// Findings about the user's own records (and the commons as a whole).
    pub own: Tally,
    /// Findings about upstream records, inherited through the lineage.
    pub inherited: Tally,
    /// The upstream records that have inherited findings.
    pub inherited_from: Vec<String>,
}

impl Report {
    /// Whether any finding fails the run (errors, or warnings when strict).
    pub fn fails(&self, strict: bool) -> bool {
        self.findings
            .iter()
            .any(|f| f.severity == Severity::Error || (strict && f.severity == Severity::Warning))
    }

    pub fn push(&mut self, finding: Finding) {
        self.findings.push(finding);
    }

    /// Marks the findings about [`upstream`](Self::upstream) records as
    /// inherited.
    pub fn mark_inherited(&mut self) {
        for f in &mut self.findings {
            f.inherited = f.id.as_ref().is_some_and(|id| self.upstream.contains(id));
        }
    }

    pub fn summary(&self) -> Summary {
        let mut s = Summary {
            subjects: self.subjects.len(),
            ..Summary::default()
        };
        let mut from = std::collections::BTreeSet::new();
        for f in &self.findings {
            let mut all = Tally::default();
            all.add(f.severity);
            s.errors += all.errors;
            s.warnings += all.warnings;
            s.notes += all.notes;
            s.files_not_checked += usize::from(f.rule == Rule::FilesNotFound);
            s.waived += usize::from(f.waived.is_some());
            if f.inherited {
                s.inherited.add(f.severity);
                from.extend(f.id.clone());
            } else {
                s.own.add(f.severity);
            }
        }
        s.inherited_from = from.into_iter().collect();
        s
    }
}
