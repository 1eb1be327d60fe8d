//! Waivers, as cargo-deny has them: a finding the commons accepts, with a
//! reason, kept in the governed policy (so accepting one needs the members'
//! signatures like any change of the rules), and rule levels set on the
//! command line (`--allow`, `--warn`, `--deny`).
//!
//! A waived finding stays in every report, as a note that says why; an
//! expired waiver is itself a finding and no longer waives anything.

use crate::config::Exception;
use crate::finding::{Finding, Report, Severity};
use crate::rule::Rule;

/// Rule levels given on the command line.
#[derive(Debug, Clone, Default)]
pub struct Levels {
    pub allow: Vec<Rule>,
    pub warn: Vec<Rule>,
    pub deny: Vec<Rule>,
}

/// Applies the policy's exceptions (as of `today`, `YYYY-MM-DD`) and the
/// command line's levels to `report`.
pub fn apply(report: &mut Report, exceptions: &[Exception], levels: &Levels, today: &str) {
    let mut expired = Vec::new();
    for (i, ex) in exceptions.iter().enumerate() {
        let is_expired = ex.expires.as_deref().is_some_and(|d| d < today);
        let mut matched = false;
        for f in report.findings.iter_mut().filter(|f| covers(ex, f)) {
            matched = true;
            if !is_expired {
                waive(
                    f,
                    format!("policy.exceptions[{i}]: {}{}", ex.reason, approver(ex)),
                );
            }
        }
        if is_expired && matched {
            expired.push(
                Finding::new(
                    Rule::WaiverExpired,
                    format!(
                        "the waiver of `{}` for `{}` expired on {} ({}); its findings count again",
                        ex.rule,
                        ex.id,
                        ex.expires.as_deref().unwrap_or("?"),
                        ex.reason
                    ),
                )
                .file(crate::config::CONFIG_FILE)
                .field(format!("policy.exceptions[{i}]"))
                .fix("fix the findings, or members renew the waiver (`commons policy waive … --expires`)"),
            );
        }
    }
    report.findings.extend(expired);
    for f in &mut report.findings {
        if levels.deny.contains(&f.rule) {
            f.severity = Severity::Error;
            f.waived = None;
        } else if levels.warn.contains(&f.rule) && f.waived.is_none() {
            f.severity = Severity::Warning;
        } else if levels.allow.contains(&f.rule) && f.waived.is_none() {
            waive(f, "allowed on the command line (--allow)".to_owned());
        }
    }
}

fn covers(ex: &Exception, f: &Finding) -> bool {
    ex.rule == f.rule && (ex.id == "*" || f.id.as_deref() == Some(ex.id.as_str()))
}

fn approver(ex: &Exception) -> String {
    ex.approved_by
        .as_deref()
        .map(|a| format!(" (approved by {a})"))
        .unwrap_or_default()
}

fn waive(f: &mut Finding, why: String) {
    f.severity = Severity::Note;
    f.waived = Some(why);
}

/// Today's date, `YYYY-MM-DD` (UTC).
pub fn today() -> String {
    time::OffsetDateTime::now_utc().date().to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn report() -> Report {
        Report {
            subjects: vec!["a/x".into(), "a/y".into()],
            findings: vec![
                Finding::new(Rule::NcPropagation, "x").id("a/x"),
                Finding::new(Rule::NcPropagation, "y").id("a/y"),
                Finding::new(Rule::ReferenceUnpinned, "z").id("a/y"),
            ],
            upstream: Default::default(),
            examined: Default::default(),
        }
    }

    fn exception(id: &str, expires: Option<&str>) -> Exception {
        Exception {
            rule: Rule::NcPropagation,
            id: id.into(),
            reason: "research use only, agreed".into(),
            approved_by: Some("ada".into()),
            expires: expires.map(Into::into),
        }
    }

    #[test]
    fn a_waiver_turns_its_findings_into_notes_that_say_why() {
        let mut r = report();
        apply(
            &mut r,
            &[exception("a/x", None)],
            &Levels::default(),
            "2026-11-29",
        );
        assert_eq!(r.findings[0].severity, Severity::Note);
        assert!(
            r.findings[0]
                .waived
                .as_deref()
                .unwrap()
                .contains("approved by ada")
        );
        assert_eq!(r.findings[1].severity, Severity::Error);
        assert!(r.fails(false));
        let mut r = report();
        apply(
            &mut r,
            &[exception("*", Some("2026-12-31"))],
            &Levels::default(),
            "2026-11-29",
        );
        assert!(!r.fails(false));
    }

    #[test]
    fn an_expired_waiver_is_a_finding_and_waives_nothing() {
        let mut r = report();
        apply(
            &mut r,
            &[exception("a/x", Some("2026-11-28"))],
            &Levels::default(),
            "2026-11-29",
        );
        assert_eq!(r.findings[0].severity, Severity::Error);
        assert!(r.findings.iter().any(|f| f.rule == Rule::WaiverExpired));
    }

    #[test]
    fn command_line_levels() {
        let mut r = report();
        let levels = Levels {
            allow: vec![Rule::NcPropagation],
            warn: vec![],
            deny: vec![Rule::ReferenceUnpinned],
        };
        apply(&mut r, &[], &levels, "2026-11-29");
        assert_eq!(r.findings[0].severity, Severity::Note);
        assert_eq!(r.findings[2].severity, Severity::Error);
        assert!(r.fails(false));
    }
}
