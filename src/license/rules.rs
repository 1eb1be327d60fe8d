//! The stable names of the license rules, and what each one means.
//!
//! Names never change once released: CI configurations and SARIF viewers
//! key on them.

pub const NC_PROPAGATION: &str = "nc-propagation";
pub const SHARE_ALIKE_VIOLATION: &str = "share-alike-violation";
pub const SHARE_ALIKE_CONFLICT: &str = "share-alike-conflict";
pub const OUTBOUND_INCOMPATIBLE: &str = "outbound-incompatible";
pub const USE_RESTRICTIONS_DROPPED: &str = "use-restrictions-dropped";
pub const LICENSE_COPY_MISSING: &str = "license-copy-missing";
pub const LICENSE_COPY_MISMATCH: &str = "license-copy-mismatch";
pub const NOTICE_MISSING: &str = "notice-missing";
pub const ATTRIBUTION_MISSING: &str = "attribution-missing";
pub const NAMING_PREFIX: &str = "naming-prefix";
pub const DISPLAY_ATTRIBUTION: &str = "display-attribution";
pub const RESEARCH_ONLY: &str = "research-only";
pub const COMPETING_MODEL_CLAUSE: &str = "competing-model-clause";
pub const GENERATOR_TERMS: &str = "generator-terms";
pub const HOSTING_USE: &str = "hosting-use";
pub const PERMISSION_REQUIRED: &str = "permission-required";
pub const RECIPROCITY_REPORT: &str = "reciprocity-report";
pub const UPSTREAM_DECLARED_MISMATCH: &str = "upstream-declared-mismatch";
pub const UPSTREAM_LICENSE_UNKNOWN: &str = "upstream-license-unknown";
pub const MISSING_PROVENANCE: &str = "missing-provenance";
pub const LICENSE_MISSING: &str = "license-missing";
pub const LICENSE_UNKNOWN: &str = "license-unknown";
pub const LICENSE_NOT_ACCEPTED: &str = "license-not-accepted";
pub const CARD_LICENSE_DRIFT: &str = "card-license-drift";
pub const LICENSE_FILE_DRIFT: &str = "license-file-drift";

/// Every rule `commons check` reports, with a one-line description.
pub const RULES: &[(&str, &str)] = &[
    (
        "waiver-expired",
        "A waiver of the commons' policy has expired; its findings count again",
    ),
    (
        crate::pins::RULE,
        "A reference pins a digest of an upstream record that is not the record's digest now",
    ),
    (
        NC_PROPAGATION,
        "A non-commercial license upstream, but the record is offered for commercial use or under a license that allows it",
    ),
    (
        SHARE_ALIKE_VIOLATION,
        "A share-alike license upstream, but the record may be taken under a license it does not allow",
    ),
    (
        SHARE_ALIKE_CONFLICT,
        "Two share-alike licenses upstream that no single license can satisfy",
    ),
    (
        OUTBOUND_INCOMPATIBLE,
        "An upstream license requires derivatives to stay under it, and the record's license does not include it",
    ),
    (
        USE_RESTRICTIONS_DROPPED,
        "Use restrictions an upstream license requires to be passed on are missing from the record",
    ),
    (
        LICENSE_COPY_MISSING,
        "An upstream license must travel with every copy, and the record ships no license file",
    ),
    (
        LICENSE_COPY_MISMATCH,
        "A file listed as the copy of an upstream license is, by its content, another license's text or none",
    ),
    (
        NOTICE_MISSING,
        "A notice an upstream license requires every copy to carry is missing",
    ),
    (
        ATTRIBUTION_MISSING,
        "An upstream license requires credit, and the record's notices do not credit the upstream",
    ),
    (
        NAMING_PREFIX,
        "An upstream license requires derivative names to begin with a given prefix",
    ),
    (
        DISPLAY_ATTRIBUTION,
        "An upstream license requires a \"Built with …\" display where the model is offered",
    ),
    (
        RESEARCH_ONLY,
        "A research-only license upstream, but the record is offered beyond research",
    ),
    (
        COMPETING_MODEL_CLAUSE,
        "The model was trained on outputs of a model whose license forbids improving other models with them",
    ),
    (
        GENERATOR_TERMS,
        "The model was trained on outputs of a service whose terms restrict using them to build competing models",
    ),
    (
        HOSTING_USE,
        "An upstream license restricts offering the model as a hosted service, and the record is served",
    ),
    (
        PERMISSION_REQUIRED,
        "An upstream license requires the licensor's permission for what the record does",
    ),
    (
        RECIPROCITY_REPORT,
        "A reciprocal license upstream requires evaluations to be contributed back, and none is recorded",
    ),
    (
        UPSTREAM_DECLARED_MISMATCH,
        "The license the source declared (license.declared) differs from the recorded expression",
    ),
    (
        UPSTREAM_LICENSE_UNKNOWN,
        "A record in the lineage has a license the catalog does not know, or none",
    ),
    (
        MISSING_PROVENANCE,
        "The lineage cannot be followed: a reference is missing or unpinned, or required provenance is not recorded",
    ),
    (LICENSE_MISSING, "The record states no license"),
    (
        LICENSE_UNKNOWN,
        "The record's own license is not in the catalog, so obligations on it cannot be checked",
    ),
    (
        LICENSE_NOT_ACCEPTED,
        "The record's license is not among the licenses this commons accepts",
    ),
    (
        CARD_LICENSE_DRIFT,
        "The model card declares a different license than the manifest",
    ),
    (
        LICENSE_FILE_DRIFT,
        "The LICENSE file is a different license than the manifest states",
    ),
];
