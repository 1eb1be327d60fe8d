//! Findings for code-scanning services: SARIF 2.1.0 and GitLab's
//! code-quality report. SARIF 2.1.0 as code-scanning services (GitHub's among them) accept it,
//! built from typed structures rather than ad-hoc JSON:
//!
//! - every result located in a file carries a real `region.startLine` (the
//!   field's line when known, else the file's first line);
//! - each run has `automationDetails.id` (`commons/verify/`, `commons/check/`)
//!   so that uploads of `verify` and `check` do not replace each other;
//! - each result has a `partialFingerprints` entry built from what the
//!   finding is about (rule, record, file, field), not from its wording, so
//!   an alert is tracked from one run to the next;
//! - each rule has a short and a full description, help and a default level;
//!   the fix stays out of the message and goes into the result's properties.

use serde::Serialize;

use crate::finding::{Finding, Report, Severity};

#[derive(Serialize)]
pub struct Log<'a> {
    #[serde(rename = "$schema")]
    schema: &'static str,
    version: &'static str,
    runs: Vec<Run<'a>>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Run<'a> {
    tool: Tool<'a>,
    automation_details: AutomationDetails,
    results: Vec<SarifResult<'a>>,
}

#[derive(Serialize)]
struct Tool<'a> {
    driver: Driver<'a>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Driver<'a> {
    name: &'static str,
    version: &'static str,
    semantic_version: &'static str,
    rules: Vec<Rule<'a>>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Rule<'a> {
    id: &'a str,
    name: String,
    short_description: Text,
    full_description: Text,
    help: Text,
    default_configuration: Configuration,
}

#[derive(Serialize)]
struct Text {
    text: String,
}

#[derive(Serialize)]
struct Configuration {
    level: &'static str,
}

#[derive(Serialize)]
struct AutomationDetails {
    id: String,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct SarifResult<'a> {
    rule_id: &'a str,
    level: &'static str,
    message: Text,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    locations: Vec<Location<'a>>,
    partial_fingerprints: Fingerprints,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    suppressions: Vec<Suppression<'a>>,
    properties: Properties<'a>,
}

/// A waived finding, as SARIF viewers show suppressed results.
#[derive(Serialize)]
struct Suppression<'a> {
    kind: &'static str,
    justification: &'a str,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Location<'a> {
    physical_location: PhysicalLocation<'a>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct PhysicalLocation<'a> {
    artifact_location: ArtifactLocation<'a>,
    region: Region,
}

#[derive(Serialize)]
struct ArtifactLocation<'a> {
    uri: &'a str,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Region {
    start_line: usize,
}

#[derive(Serialize)]
struct Fingerprints {
    #[serde(rename = "commonsFinding/v1")]
    finding: String,
}

#[derive(Serialize)]
struct Properties<'a> {
    #[serde(skip_serializing_if = "Option::is_none")]
    id: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    field: Option<&'a str>,
    #[serde(skip_serializing_if = "<[String]>::is_empty")]
    chain: &'a [String],
    #[serde(skip_serializing_if = "Option::is_none")]
    fix: Option<&'a str>,
}

fn level(s: Severity) -> &'static str {
    match s {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Note => "note",
    }
}

/// The SARIF log of one `tool` run (`verify` or `check`), with `rules`
/// (rule, description) as its rule table.
pub fn log<'a>(report: &'a Report, tool: &str, rules: &'a [(&str, &str)]) -> Log<'a> {
    let results = report.findings.iter().map(result).collect();
    let rules = rules
        .iter()
        .map(|(id, desc)| Rule {
            id,
            name: pascal(id),
            short_description: Text {
                text: (*desc).to_owned(),
            },
            full_description: Text {
                text: format!("{desc} (`commons {tool}` rule `{id}`)."),
            },
            help: Text {
                text: format!(
                    "{desc}. Each finding of this rule says what to do in its `fix` property; the rule table of the `{tool}` reference page (commands/{tool}.md, `man commons-{tool}`) explains each rule."
                ),
            },
            default_configuration: Configuration {
                level: default_level(report, id),
            },
        })
        .collect();
    Log {
        schema: "https://json.schemastore.org/sarif-2.1.0.json",
        version: "2.1.0",
        runs: vec![Run {
            tool: Tool {
                driver: Driver {
                    name: "commons",
                    version: env!("CARGO_PKG_VERSION"),
                    semantic_version: env!("CARGO_PKG_VERSION"),
                    rules,
                },
            },
            automation_details: AutomationDetails {
                id: format!("commons/{tool}/"),
            },
            results,
        }],
    }
}

/// The level of the rule's findings in this report, else `error`.
fn default_level(report: &Report, rule: &str) -> &'static str {
    report
        .findings
        .iter()
        .find(|f| f.rule == rule)
        .map(|f| level(f.severity))
        .unwrap_or("error")
}

/// What identifies a finding from one run to the next: what it is about,
/// not its wording (which carries digests that change).
fn fingerprint(f: &Finding) -> String {
    let key = [
        f.rule.as_str(),
        f.id.as_deref().unwrap_or(""),
        f.file.as_deref().unwrap_or(""),
        f.field.as_deref().unwrap_or(""),
    ]
    .join("\u{1f}");
    crate::digest::Sha256Hex::of_bytes(key.as_bytes()).to_string()
}

/// One issue of GitLab's code-quality report.
#[derive(Serialize)]
pub struct GitlabIssue<'a> {
    description: String,
    check_name: String,
    fingerprint: String,
    severity: &'static str,
    location: GitlabLocation<'a>,
}

#[derive(Serialize)]
struct GitlabLocation<'a> {
    path: &'a str,
    lines: GitlabLines,
}

#[derive(Serialize)]
struct GitlabLines {
    begin: usize,
}

/// The findings as GitLab's code-quality report: errors are `major`,
/// warnings `minor`, notes `info`; findings about no file point at
/// `commons.yaml`.
pub fn gitlab<'a>(report: &'a Report, tool: &str) -> Vec<GitlabIssue<'a>> {
    report
        .findings
        .iter()
        .map(|f| GitlabIssue {
            description: match &f.fix {
                Some(fix) => format!("{} (fix: {fix})", f.message),
                None => f.message.clone(),
            },
            check_name: format!("commons-{tool}/{}", f.rule),
            fingerprint: fingerprint(f),
            severity: match f.severity {
                Severity::Error => "major",
                Severity::Warning => "minor",
                Severity::Note => "info",
            },
            location: GitlabLocation {
                path: f.file.as_deref().unwrap_or(crate::config::CONFIG_FILE),
                lines: GitlabLines {
                    begin: f.line.unwrap_or(1).max(1),
                },
            },
        })
        .collect()
}

fn result(f: &Finding) -> SarifResult<'_> {
    let locations = f
        .file
        .as_deref()
        .map(|uri| Location {
            physical_location: PhysicalLocation {
                artifact_location: ArtifactLocation { uri },
                region: Region {
                    start_line: f.line.unwrap_or(1).max(1),
                },
            },
        })
        .into_iter()
        .collect();
    SarifResult {
        rule_id: &f.rule,
        level: level(f.severity),
        message: Text {
            text: f.message.clone(),
        },
        locations,
        partial_fingerprints: Fingerprints {
            finding: fingerprint(f),
        },
        suppressions: f
            .waived
            .as_deref()
            .map(|justification| Suppression {
                kind: "external",
                justification,
            })
            .into_iter()
            .collect(),
        properties: Properties {
            id: f.id.as_deref(),
            field: f.field.as_deref(),
            chain: &f.chain,
            fix: f.fix.as_deref(),
        },
    }
}

/// `quorum-not-met` → `QuorumNotMet`.
fn pascal(id: &str) -> String {
    id.split('-')
        .map(|w| {
            let mut c = w.chars();
            c.next()
                .map(|first| first.to_uppercase().chain(c).collect::<String>())
                .unwrap_or_default()
        })
        .collect()
}
