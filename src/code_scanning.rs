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
//! - each rule has a short and a full description, help, a link to its
//!   entry in the rules reference and its default level, all from
//!   [`Rule`]; the fix stays out of the message and goes into the result's
//!   properties;
//! - artifact URIs are percent-encoded paths relative to the commons root;
//! - the run's properties carry the summary, own findings apart from those
//!   inherited from upstream records (each result says which it is).

use serde::Serialize;

use crate::finding::{Finding, Report, Severity, Summary};
use crate::rule::{Rule, Tool};

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
    tool: SarifTool,
    automation_details: AutomationDetails,
    results: Vec<SarifResult<'a>>,
    properties: RunProperties,
}

#[derive(Serialize)]
struct RunProperties {
    summary: Summary,
}

#[derive(Serialize)]
struct SarifTool {
    driver: Driver,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Driver {
    name: &'static str,
    version: &'static str,
    semantic_version: &'static str,
    information_uri: &'static str,
    rules: Vec<Descriptor>,
}

/// A rule as SARIF describes it (a `reportingDescriptor`).
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Descriptor {
    id: &'static str,
    name: String,
    short_description: Text,
    full_description: Text,
    help: Text,
    help_uri: String,
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
    rule_id: &'static str,
    level: &'static str,
    message: Text,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    locations: Vec<Location>,
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
struct Location {
    physical_location: PhysicalLocation,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct PhysicalLocation {
    artifact_location: ArtifactLocation,
    region: Region,
}

#[derive(Serialize)]
struct ArtifactLocation {
    uri: String,
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
    /// `own` or `inherited` (from an upstream record).
    origin: &'static str,
}

fn level(s: Severity) -> &'static str {
    match s {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Note => "note",
    }
}

/// The SARIF log of one `tool` run, with the tool's rules as its rule table
/// (and any other rule a finding names, so every `ruleId` is described).
pub fn log(report: &Report, tool: Tool) -> Log<'_> {
    let results = report.findings.iter().map(result).collect();
    let rules = Rule::ALL
        .iter()
        .copied()
        .filter(|r| r.facts().tools.contains(&tool) || report.findings.iter().any(|f| f.rule == *r))
        .map(|rule| {
            let facts = rule.facts();
            Descriptor {
                id: rule.name(),
                name: rule.pascal_name(),
                short_description: Text {
                    text: facts.short.to_owned(),
                },
                full_description: Text {
                    text: facts.full.to_owned(),
                },
                help: Text {
                    text: facts.help.to_owned(),
                },
                help_uri: rule.help_uri(),
                default_configuration: Configuration {
                    level: level(facts.level),
                },
            }
        })
        .collect();
    Log {
        schema: "https://json.schemastore.org/sarif-2.1.0.json",
        version: "2.1.0",
        runs: vec![Run {
            tool: SarifTool {
                driver: Driver {
                    name: "commons",
                    version: env!("CARGO_PKG_VERSION"),
                    semantic_version: env!("CARGO_PKG_VERSION"),
                    information_uri: env!("CARGO_PKG_REPOSITORY"),
                    rules,
                },
            },
            automation_details: AutomationDetails {
                id: format!("commons/{}/", tool.as_str()),
            },
            results,
            properties: RunProperties {
                summary: report.summary(),
            },
        }],
    }
}

/// A path relative to the commons root as a URI reference: every byte but
/// unreserved characters and `/` percent-encoded (a file name may hold
/// spaces, `%`, `#` or `?`).
pub fn path_uri(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    for b in path.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~/".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// What identifies a finding from one run to the next: what it is about,
/// not its wording (which carries digests that change).
fn fingerprint(f: &Finding) -> String {
    let key = [
        f.rule.name(),
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
pub fn gitlab(report: &Report, tool: Tool) -> Vec<GitlabIssue<'_>> {
    report
        .findings
        .iter()
        .map(|f| GitlabIssue {
            description: match &f.fix {
                Some(fix) => format!("{} (fix: {fix})", f.message),
                None => f.message.clone(),
            },
            check_name: format!("commons-{}/{}", tool.as_str(), f.rule),
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
        .map(|file| Location {
            physical_location: PhysicalLocation {
                artifact_location: ArtifactLocation {
                    uri: path_uri(file),
                },
                region: Region {
                    start_line: f.line.unwrap_or(1).max(1),
                },
            },
        })
        .into_iter()
        .collect();
    SarifResult {
        rule_id: f.rule.name(),
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
            origin: if f.inherited { "inherited" } else { "own" },
        },
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::finding::Finding;

    /// A report made of whatever `bytes` say: any rule at any level, any
    /// text in every field, waived or inherited or not.
    pub(crate) fn arbitrary_report(bytes: &[u8]) -> Report {
        let mut u = arbitrary::Unstructured::new(bytes);
        let mut report = Report::default();
        let text =
            |u: &mut arbitrary::Unstructured<'_>| u.arbitrary::<String>().unwrap_or_default();
        let maybe = |u: &mut arbitrary::Unstructured<'_>| {
            u.arbitrary::<bool>()
                .unwrap_or(false)
                .then(|| u.arbitrary::<String>().unwrap_or_default())
        };
        for _ in 0..u.int_in_range(0..=6u8).unwrap_or(0) {
            report.subjects.push(text(&mut u));
        }
        for _ in 0..u.int_in_range(0..=8u8).unwrap_or(0) {
            let rule = *u.choose(Rule::ALL).unwrap_or(&Rule::ManifestInvalid);
            let mut f = Finding::new(rule, text(&mut u));
            f.severity = *u
                .choose(&[Severity::Error, Severity::Warning, Severity::Note])
                .unwrap_or(&Severity::Error);
            f.id = maybe(&mut u);
            f.file = maybe(&mut u);
            f.field = maybe(&mut u);
            f.line = u
                .arbitrary::<Option<u32>>()
                .unwrap_or(None)
                .map(|l| l as usize);
            for _ in 0..u.int_in_range(0..=3u8).unwrap_or(0) {
                f.chain.push(text(&mut u));
            }
            f.fix = maybe(&mut u);
            f.waived = maybe(&mut u);
            f.inherited = u.arbitrary().unwrap_or(false);
            report.findings.push(f);
        }
        report
    }

    fn percent_decode(uri: &str) -> String {
        let bytes = uri.as_bytes();
        let mut out = Vec::new();
        let mut i = 0;
        while i < bytes.len() {
            if bytes[i] == b'%' {
                let hex = std::str::from_utf8(&bytes[i + 1..i + 3]).expect("two hex digits");
                out.push(u8::from_str_radix(hex, 16).expect("hex"));
                i += 3;
            } else {
                out.push(bytes[i]);
                i += 1;
            }
        }
        String::from_utf8(out).expect("UTF-8 path")
    }

    /// The findings a SARIF log carries, read back from its JSON.
    fn findings_of(sarif: &serde_json::Value) -> Vec<Finding> {
        let text = |v: &serde_json::Value| v.as_str().map(str::to_owned);
        sarif["runs"][0]["results"]
            .as_array()
            .expect("results")
            .iter()
            .map(|r| {
                let rule: Rule = r["ruleId"]
                    .as_str()
                    .expect("ruleId")
                    .parse()
                    .expect("a rule");
                let mut f = Finding::new(rule, text(&r["message"]["text"]).expect("message"));
                f.severity = match r["level"].as_str() {
                    Some("error") => Severity::Error,
                    Some("warning") => Severity::Warning,
                    Some("note") => Severity::Note,
                    other => panic!("level {other:?}"),
                };
                let location = &r["locations"][0]["physicalLocation"];
                f.file = location["artifactLocation"]["uri"]
                    .as_str()
                    .map(percent_decode);
                f.line = location["region"]["startLine"].as_u64().map(|l| l as usize);
                let p = &r["properties"];
                f.id = text(&p["id"]);
                f.field = text(&p["field"]);
                f.chain = p["chain"]
                    .as_array()
                    .map(|c| c.iter().filter_map(text).collect())
                    .unwrap_or_default();
                f.fix = text(&p["fix"]);
                f.inherited = p["origin"] == "inherited";
                f.waived = text(&r["suppressions"][0]["justification"]);
                f
            })
            .collect()
    }

    /// What SARIF keeps of a finding: a line only with a file, and at least 1.
    fn as_sarif_keeps(f: &Finding) -> Finding {
        let mut f = f.clone();
        f.line = f.file.as_ref().map(|_| f.line.unwrap_or(1).max(1));
        f
    }

    /// Arbitrary findings → SARIF → parsed back: the same findings, in a
    /// document valid against the SARIF 2.1.0 schema and GitHub's upload
    /// rules, whose summary matches the report's.
    #[test]
    fn fuzz_sarif_round_trip() {
        crate::sarif_check::validator();
        let words: &[&[u8]] = &[
            b"%",
            b"#",
            b"?",
            b" ",
            b"\\",
            b"\x1f",
            b"\0",
            b"manifests/",
            b"..",
            b"\xc3\xa9",
            b"\xf0\x9f\x98\x80",
        ];
        crate::fuzz::fuzz("sarif", words, Vec::new(), |bytes| {
            let report = arbitrary_report(bytes);
            for tool in [Tool::Verify, Tool::Check] {
                let json = serde_json::to_string(&log(&report, tool)).expect("serialises");
                let sarif: serde_json::Value = serde_json::from_str(&json).expect("parses back");
                let errors = crate::sarif_check::schema_errors(&sarif)
                    .into_iter()
                    .chain(crate::sarif_check::upload_errors(&sarif))
                    .collect::<Vec<_>>();
                assert!(errors.is_empty(), "{errors:?}");
                let want: Vec<Finding> = report.findings.iter().map(as_sarif_keeps).collect();
                assert_eq!(findings_of(&sarif), want);
                let summary: crate::finding::Summary =
                    serde_json::from_value(sarif["runs"][0]["properties"]["summary"].clone())
                        .expect("summary");
                assert_eq!(summary, report.summary());
            }
        });
    }

    #[test]
    fn artifact_uris_are_percent_encoded_paths() {
        assert_eq!(
            path_uri("manifests/models/a b/c#1%.yaml"),
            "manifests/models/a%20b/c%231%25.yaml"
        );
        assert_eq!(path_uri("x:y/é"), "x%3Ay/%C3%A9");
    }
}
