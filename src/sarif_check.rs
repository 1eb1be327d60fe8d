//! Test support (compiled into the unit tests and the CLI tests alike): a
//! SARIF document is checked against the official SARIF 2.1.0 JSON Schema
//! and against GitHub code scanning's upload rules.
//!
//! The schema is not kept in this repository (it is OASIS's text): the
//! `serde-sarif` crate, a dev-dependency, ships it in its package as
//! `src/schema.json`, and `cargo metadata` says where cargo unpacked that
//! package. A test that cannot find it fails; it never passes unchecked.

use std::path::PathBuf;
use std::sync::OnceLock;

use serde_json::Value;

/// Where the schema is: `src/schema.json` of the `serde-sarif` package.
pub fn schema_path() -> PathBuf {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned());
    // Only this platform's packages: on a clean machine cargo has fetched
    // no others, and offline it could not.
    let version = std::process::Command::new(&cargo)
        .arg("-vV")
        .output()
        .expect("run `cargo -vV` to learn the host platform");
    let version = String::from_utf8_lossy(&version.stdout);
    let host = version
        .lines()
        .find_map(|l| l.strip_prefix("host: "))
        .expect("`cargo -vV` names the host platform");
    let out = std::process::Command::new(&cargo)
        .args(["metadata", "--format-version", "1", "--offline"])
        .args(["--filter-platform", host])
        .arg("--manifest-path")
        .arg(concat!(env!("CARGO_MANIFEST_DIR"), "/Cargo.toml"))
        .output()
        .expect("run `cargo metadata` to find the SARIF schema");
    assert!(
        out.status.success(),
        "cargo metadata: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let meta: Value = serde_json::from_slice(&out.stdout).expect("cargo metadata JSON");
    let manifest = meta["packages"]
        .as_array()
        .into_iter()
        .flatten()
        .find(|p| p["name"] == "serde-sarif")
        .and_then(|p| p["manifest_path"].as_str())
        .expect("the serde-sarif dev-dependency, which ships the SARIF 2.1.0 schema");
    let path = PathBuf::from(manifest)
        .parent()
        .expect("package folder")
        .join("src/schema.json");
    assert!(
        path.is_file(),
        "the SARIF 2.1.0 schema is not at {}",
        path.display()
    );
    path
}

/// The official schema, compiled once. (Its formats are annotations, as
/// draft 7 has them by default: asserting them would reject the schema
/// itself, whose `run.language` pattern is not a valid ECMA-262 regex; the
/// URIs GitHub checks are checked by [`upload_errors`] instead.)
pub fn validator() -> &'static jsonschema::Validator {
    static VALIDATOR: OnceLock<jsonschema::Validator> = OnceLock::new();
    VALIDATOR.get_or_init(|| {
        let path = schema_path();
        let schema: Value =
            serde_json::from_slice(&std::fs::read(&path).expect("read the SARIF schema"))
                .expect("the SARIF schema is JSON");
        assert_eq!(
            schema["title"],
            "Static Analysis Results Format (SARIF) Version 2.1.0 JSON Schema",
            "{} is not the SARIF 2.1.0 schema",
            path.display()
        );
        // The published schema's `language` patterns (of `run` and
        // `toolComponent`) have a stray `]` (`…{2}]?$`), which the
        // meta-schema rejects as a regex; those keywords are dropped (no
        // `commons` output has a `language`).
        let mut schema = schema;
        if let Some(definitions) = schema["definitions"].as_object_mut() {
            for definition in definitions.values_mut() {
                if let Some(language) = definition
                    .pointer_mut("/properties/language")
                    .and_then(Value::as_object_mut)
                {
                    language.remove("pattern");
                }
            }
        }
        jsonschema::options()
            .with_draft(jsonschema::Draft::Draft7)
            .build(&schema)
            .expect("the SARIF schema compiles")
    })
}

/// Every way `sarif` breaks the schema, as `path: message` lines.
pub fn schema_errors(sarif: &Value) -> Vec<String> {
    validator()
        .iter_errors(sarif)
        .map(|e| format!("{}: {e}", e.instance_path()))
        .collect()
}

/// Every way `sarif` breaks GitHub code scanning's upload rules: one run,
/// a category (`automationDetails.id`), rules with descriptions, help and a
/// valid default level, each result's `ruleId` in the rule table, a valid
/// level, `partialFingerprints`, and a `startLine` in every region.
pub fn upload_errors(sarif: &Value) -> Vec<String> {
    let mut errors = Vec::new();
    let mut need = |ok: bool, what: String| {
        if !ok {
            errors.push(what);
        }
    };
    need(sarif["version"] == "2.1.0", "version is not 2.1.0".into());
    let runs = sarif["runs"].as_array().map(Vec::as_slice).unwrap_or(&[]);
    need(runs.len() == 1, format!("{} runs, not one", runs.len()));
    let levels = ["error", "warning", "note", "none"];
    for run in runs {
        need(
            run["automationDetails"]["id"]
                .as_str()
                .is_some_and(|c| !c.is_empty()),
            "no automationDetails.id".into(),
        );
        let rules = run["tool"]["driver"]["rules"]
            .as_array()
            .map(Vec::as_slice)
            .unwrap_or(&[]);
        for r in rules {
            for key in ["shortDescription", "fullDescription", "help"] {
                need(
                    r[key]["text"].as_str().is_some_and(|t| !t.is_empty()),
                    format!("rule {} lacks {key}", r["id"]),
                );
            }
            need(
                r["helpUri"].as_str().is_some_and(absolute_uri),
                format!("rule {} lacks an absolute helpUri", r["id"]),
            );
            let level = r["defaultConfiguration"]["level"].as_str().unwrap_or("");
            need(
                levels.contains(&level),
                format!("rule {}: level {level:?}", r["id"]),
            );
        }
        for res in run["results"].as_array().into_iter().flatten() {
            let id = res["ruleId"].as_str().unwrap_or("");
            need(
                rules.iter().any(|r| r["id"] == id),
                format!("ruleId {id:?} is not in the rule table"),
            );
            let level = res["level"].as_str().unwrap_or("");
            need(levels.contains(&level), format!("{id}: level {level:?}"));
            need(
                res["partialFingerprints"]
                    .as_object()
                    .is_some_and(|f| !f.is_empty()),
                format!("{id}: no partialFingerprints"),
            );
            for loc in res["locations"].as_array().into_iter().flatten() {
                let uri = loc["physicalLocation"]["artifactLocation"]["uri"].as_str();
                need(
                    uri.is_some_and(uri_reference),
                    format!("{id}: artifact uri {uri:?} is not a URI reference"),
                );
                let region = &loc["physicalLocation"]["region"];
                need(
                    region.is_null() || region["startLine"].as_u64().is_some_and(|l| l >= 1),
                    format!("{id}: a region without startLine"),
                );
            }
        }
    }
    errors
}

/// Whether `s` is an RFC 3986 URI reference: only its characters, every
/// `%` followed by two hex digits, and no scheme-like first segment.
fn uri_reference(s: &str) -> bool {
    let b = s.as_bytes();
    let chars_ok = b.iter().enumerate().all(|(i, &c)| match c {
        b'%' => b.len() > i + 2 && b[i + 1].is_ascii_hexdigit() && b[i + 2].is_ascii_hexdigit(),
        c => c.is_ascii_alphanumeric() || b"-._~:/?#[]@!$&'()*+,;=".contains(&c),
    });
    let first = s.split(['/', '?', '#']).next().unwrap_or("");
    chars_ok && (!first.contains(':') || absolute_uri(s)) && s.matches('#').count() <= 1
}

/// Whether `s` is an absolute URI (a scheme, then a URI reference).
fn absolute_uri(s: &str) -> bool {
    let Some((scheme, rest)) = s.split_once(':') else {
        return false;
    };
    scheme.starts_with(|c: char| c.is_ascii_alphabetic())
        && scheme
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "+-.".contains(c))
        && uri_reference(rest.trim_start_matches('/'))
}

/// Asserts that `sarif` is valid against the schema and GitHub's upload
/// rules; returns its category.
pub fn assert_code_scanning(sarif: &Value) -> String {
    let mut errors = schema_errors(sarif);
    errors.extend(upload_errors(sarif));
    assert!(
        errors.is_empty(),
        "invalid SARIF:\n{}\n{sarif:#}",
        errors.join("\n")
    );
    sarif["runs"][0]["automationDetails"]["id"]
        .as_str()
        .unwrap_or_default()
        .to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_schema_and_the_upload_rules_catch_broken_documents() {
        let good = serde_json::json!({
            "version": "2.1.0",
            "runs": [{
                "tool": {"driver": {"name": "x", "rules": [{
                    "id": "r",
                    "shortDescription": {"text": "s"},
                    "fullDescription": {"text": "f"},
                    "help": {"text": "h"},
                    "helpUri": "https://example.org/r",
                    "defaultConfiguration": {"level": "error"}
                }]}},
                "automationDetails": {"id": "x/"},
                "results": [{
                    "ruleId": "r", "level": "error", "message": {"text": "m"},
                    "partialFingerprints": {"a": "b"},
                    "locations": [{"physicalLocation": {
                        "artifactLocation": {"uri": "a%20b.yaml"},
                        "region": {"startLine": 1}}}]
                }]
            }]
        });
        assert_eq!(assert_code_scanning(&good), "x/");
        let mut bad_level = good.clone();
        bad_level["runs"][0]["results"][0]["level"] = "fatal".into();
        assert!(!schema_errors(&bad_level).is_empty());
        let mut bad_uri = good.clone();
        bad_uri["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"]
            ["uri"] = "a b#c#d".into();
        assert!(!upload_errors(&bad_uri).is_empty(), "uri-reference");
        let mut no_runs = good.clone();
        no_runs["runs"] = serde_json::json!({});
        assert!(!schema_errors(&no_runs).is_empty());
        let mut no_line = good.clone();
        no_line["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["region"] =
            serde_json::json!({"startColumn": 2});
        assert!(!upload_errors(&no_line).is_empty());
        let mut unknown_rule = good.clone();
        unknown_rule["runs"][0]["results"][0]["ruleId"] = "q".into();
        assert!(!upload_errors(&unknown_rule).is_empty());
        let mut no_fingerprint = good;
        no_fingerprint["runs"][0]["results"][0]
            .as_object_mut()
            .unwrap()
            .remove("partialFingerprints");
        assert!(!upload_errors(&no_fingerprint).is_empty());
    }
}
