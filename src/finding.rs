//! Findings: what a check found, as values.
//!
//! `verify` and `check` return reports made of findings; each has a stable
//! rule code, a severity, the record (file and field) it concerns, the chain
//! of records that led to it, and the fix. The output module renders them for
//! people, as JSON, or as SARIF.

use serde::Serialize;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
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

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Finding {
    /// Stable rule name, e.g. `signature-invalid`, `nc-propagation`.
    pub rule: String,
    pub severity: Severity,
    /// The manifest id the finding is about, when there is one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// The file the finding concerns, relative to the commons root.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub file: Option<String>,
    /// The field within that file (e.g. `files[2].sha256`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub field: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub line: Option<usize>,
    pub message: String,
    /// The chain of records that causes it, from the subject to the cause.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub chain: Vec<String>,
    /// What to do about it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub fix: Option<String>,
    /// Why it does not fail the run: a waiver of the commons' policy, or a
    /// rule allowed on the command line. A waived finding is a note.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub waived: Option<String>,
}

impl Finding {
    pub fn new(rule: &str, severity: Severity, message: impl Into<String>) -> Finding {
        Finding {
            rule: rule.to_owned(),
            severity,
            id: None,
            file: None,
            field: None,
            line: None,
            message: message.into(),
            chain: Vec::new(),
            fix: None,
            waived: None,
        }
    }

    pub fn error(rule: &str, message: impl Into<String>) -> Finding {
        Finding::new(rule, Severity::Error, message)
    }

    pub fn warning(rule: &str, message: impl Into<String>) -> Finding {
        Finding::new(rule, Severity::Warning, message)
    }

    pub fn note(rule: &str, message: impl Into<String>) -> Finding {
        Finding::new(rule, Severity::Note, message)
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
}
