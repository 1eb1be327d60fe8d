//! Every rule `verify` and `check` report, as one enum (cargo-deny's
//! diagnostic `Code` is the model): its stable kebab-case name, default
//! level, descriptions and help live beside the variant, and the SARIF rule
//! table, the JSON output, the rules reference (`commands/rules.md`) and the
//! parsing of `--allow/--warn/--deny` and of waivers all derive from it. A
//! typo in a rule name cannot ship, and a new rule is one line of this table
//! plus the match arms the compiler asks for (its test scenario among them).
//!
//! Names never change once released: CI configurations, waivers and SARIF
//! viewers key on them.

use crate::finding::Severity;

/// Which command reports a rule.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tool {
    Verify,
    Check,
}

impl Tool {
    pub fn as_str(self) -> &'static str {
        match self {
            Tool::Verify => "verify",
            Tool::Check => "check",
        }
    }
}

/// What is known of a rule besides its name.
#[derive(Debug, Clone, Copy)]
pub struct Facts {
    pub level: Severity,
    pub tools: &'static [Tool],
    /// One line: what the finding means.
    pub short: &'static str,
    /// When the rule fires, in full.
    pub full: &'static str,
    /// What to do about it.
    pub help: &'static str,
}

macro_rules! rules {
    ($( $variant:ident = $name:literal, $level:ident, [$($tool:ident),+],
        $short:literal, $full:literal, $help:literal; )*) => {
        /// A rule of `verify` or `check`.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub enum Rule {
            $($variant,)*
        }

        impl Rule {
            /// Every rule, in the order of the reference.
            pub const ALL: &'static [Rule] = &[$(Rule::$variant,)*];

            /// The stable kebab-case name.
            pub fn name(self) -> &'static str {
                match self {
                    $(Rule::$variant => $name,)*
                }
            }

            pub fn facts(self) -> Facts {
                match self {
                    $(Rule::$variant => Facts {
                        level: Severity::$level,
                        tools: &[$(Tool::$tool),+],
                        short: $short,
                        full: $full,
                        help: $help,
                    },)*
                }
            }
        }
    };
}

rules! {
    ManifestInvalid = "manifest-invalid", Error, [Verify],
        "The manifest does not parse or does not match the schema",
        "The manifest is not valid YAML, nests deeper than allowed, is too large, or has a field the manifest schema does not know or a value it does not accept. The finding names the line (and column) or the field.",
        "Correct the manifest at the line or field named (`commons schema manifest` prints the schema), then sign it again.";
    FieldMissing = "field-missing", Error, [Verify],
        "A field the commons' policy requires is absent",
        "The commons' policy (`policy.required_fields` in commons.yaml) requires every manifest to carry this field, and this one does not.",
        "Add the field (`commons record … --FIELD …` writes it) and sign the manifest again, or change the policy.";
    SignatureMalformed = "signature-malformed", Error, [Verify],
        "A signature file is not a minisign signature",
        "A `.minisig` file beside the manifest cannot be read as a minisign signature: it is truncated, edited or not a signature at all.",
        "Remove the file and sign the manifest again (`commons sign`).";
    SignatureInvalid = "signature-invalid", Error, [Verify],
        "A signature does not verify against the manifest's bytes",
        "A member's signature does not verify against the manifest as it is: the manifest or the signature was altered after signing.",
        "Restore the manifest or the signature from git, or review the change and sign again.";
    SignatureStale = "signature-stale", Error, [Verify],
        "A signature was made over an earlier version of the manifest",
        "The signature's trusted comment names the manifest but a digest it had before an edit: the manifest changed after it was signed.",
        "Review the change, then `commons sign` the manifest again.";
    SignatureMisplaced = "signature-misplaced", Error, [Verify],
        "A signature made for another manifest lies beside this one",
        "The signature's trusted comment binds another manifest's id, or binds no id and digest at all, so it does not count for this manifest.",
        "Remove the signature and sign this manifest with `commons sign`, which binds its id and digest.";
    SignatureUntrusted = "signature-untrusted", Error, [Verify],
        "A signature by a key that is not a member's",
        "The signature verifies, but with a key that is not the key of any member of the commons' governance in force.",
        "Have a member sign, or add the key's owner as a member after review (`commons key trust`).";
    SignatureRevoked = "signature-revoked", Error, [Verify],
        "A signature by a revoked key",
        "The signature was made with a key the policy revoked; it counts for nothing, whenever it was made.",
        "Have a member with a valid key sign again.";
    QuorumNotMet = "quorum-not-met", Error, [Verify],
        "Fewer distinct members signed than the policy's quorum",
        "The manifest carries fewer valid signatures of distinct members than `policy.quorum`, so it is not accepted.",
        "More members review the manifest and run `commons sign`.";
    ReferenceMissing = "reference-missing", Error, [Verify],
        "A referenced manifest is not in the commons",
        "A lineage reference (`derived_from`, `trained_on`, `generated_by`, `upstream`, an evaluation's model) names a record the commons does not hold.",
        "Record or fetch the referenced record, then record this manifest again so the reference is pinned.";
    ReferenceUnpinned = "reference-unpinned", Warning, [Verify],
        "A reference carries no digest of the referenced manifest",
        "A lineage reference names a record without the sha256 of its manifest, so a change upstream would go unnoticed.",
        "Record the manifest again (or `commons repin` it) so the reference is pinned, and sign it.";
    ReferenceDigestMismatch = "reference-digest-mismatch", Error, [Verify, Check],
        "A referenced manifest changed since the reference was made",
        "A reference pins a digest of an upstream record that is not the record's digest now: an earlier version (the upstream changed since) or one it never had in the commons' history.",
        "Review the change upstream (`commons log ID`); if accepted, `commons repin` the record and sign it again.";
    FilePathEscapes = "file-path-escapes", Error, [Verify],
        "A file path leads outside its folder",
        "A recorded file resolves, through a symbolic link in the folder verified, to a file outside it. (A path that is absolute or climbs out with `..` is refused when the manifest is read: `manifest-invalid`.)",
        "Replace the link with the file itself, or correct `files[].path` to name a file inside the folder.";
    FileMissing = "file-missing", Error, [Verify],
        "A recorded file is absent",
        "A file the manifest records is not in the folder verified.",
        "Restore the file (fetch it again), or record the manifest again without it.";
    FileModified = "file-modified", Error, [Verify],
        "A file's size or sha256 differs from the record",
        "A file's size or content (sha256, or the digest of one of its recorded pieces) differs from what the manifest records.",
        "Restore the file from its source, or record the manifest again after review.";
    FileExtra = "file-extra", Error, [Verify],
        "A file is present that the manifest does not record",
        "The folder verified holds a file the manifest does not record.",
        "Remove the file, or record the manifest again to include it.";
    FilesNotFound = "files-not-found", Warning, [Verify],
        "The manifest's files were not found locally; they were not checked",
        "No folder was given for the manifest's files and they are not in the Hugging Face cache, so they were not checked. The summary counts these; `--strict` fails on them.",
        "Give the folder with `--files DIR` (or `--files ID=DIR`), fetch the files, or pass `--no-files` to check the records only.";
    EvalMergeMismatch = "eval-merge-mismatch", Error, [Verify],
        "A merged evaluation differs from the merge of the shards it names",
        "The shards named in `eval.merged_from`, read from git history, merge to other numbers than the evaluation records, or do not merge at all.",
        "Restore the evaluation from git history, or merge the shards again (`commons eval merge`).";
    EvalSamplesMismatch = "eval-samples-mismatch", Error, [Verify],
        "An evaluation's per-item samples are missing, changed, or do not add up to its result",
        "The samples file an evaluation names in `eval.samples` is missing, its sha256 differs from the recorded one, it does not read, or its items' values do not add up to the tally the evaluation records.",
        "Restore the samples file from git history, or evaluate again with --log-samples.";
    EvalShardsUnavailable = "eval-shards-unavailable", Warning, [Verify],
        "The shards a merged evaluation names are not in this clone's history; it was not re-merged",
        "A merged evaluation names shards that this clone's git history does not hold as recorded (a shallow clone), so it was not merged again.",
        "Fetch the commons' full history (`git fetch --unshallow`), then verify again.";
    GovernanceUnsigned = "governance-unsigned", Error, [Verify],
        "The commons' members and policy are not a signed governance version",
        "commons.yaml is not backed by a signed governance version in `governance/`, so anyone who can push could change the members and policy.",
        "Adopt the current commons.yaml as governance version 1 (`commons governance adopt`) and sign it.";
    GovernanceUnsignedEdit = "governance-unsigned-edit", Error, [Verify],
        "commons.yaml differs from the newest accepted governance version",
        "commons.yaml was edited without a signed governance version; the edit counts for nothing and the newest accepted version stays in force.",
        "Restore commons.yaml from git, or propose the change as a new version (`commons member`, `commons policy set`) for the members to sign.";
    GovernancePending = "governance-pending", Warning, [Verify],
        "A proposed governance version lacks the signatures it needs",
        "A governance version newer than the one in force lacks the threshold of the previous members' signatures, or the signature of a key it adds.",
        "The members it needs review and run `commons governance sign`, or withdraw it (`commons governance withdraw`).";
    GovernanceInvalid = "governance-invalid", Error, [Verify],
        "A governance version inside the chain is not validly signed",
        "A governance version between accepted ones is tampered with, replayed, or wrongly signed, so the chain cannot be trusted past it.",
        "Restore the version and its signatures from git.";
    GovernanceChainBroken = "governance-chain-broken", Error, [Verify],
        "A governance version is missing from the chain",
        "A version of `governance/` is missing (or misnumbered), so versions after it cannot be walked from the root.",
        "Restore the missing version and its signatures from git.";
    GovernanceRootMismatch = "governance-root-mismatch", Error, [Verify],
        "Governance version 1 is not the root this clone or the caller pinned",
        "The sha256 of `governance/0001.yaml` is not the root given with `--root` (or `$COMMONS_ROOT`), or the one this clone pinned on first use: the commons was replaced.",
        "Find out why the root changed; if it is the commons you trust, pin its root again with `--root SHA256`.";
    GovernanceRootPinned = "governance-root-pinned", Note, [Verify],
        "Governance version 1 was pinned for this clone on first use",
        "No root was given, so this clone pinned governance version 1 as it found it; later runs compare against that pin.",
        "Compare the pinned sha256 with the root the commons publishes out of band, and pass it with `--root` in CI.";
    GovernanceRollback = "governance-rollback", Error, [Verify],
        "Fewer governance versions are accepted than this clone has verified",
        "The governance chain is shorter than one this clone verified before: versions were removed or the repository was reset.",
        "Find out why the history was rewritten; restore the newer versions from another clone.";
    SnapshotMissing = "snapshot-missing", Error, [Verify],
        "There is no signed snapshot of the manifests",
        "`snapshot.yaml` is absent (or was deleted), so a deleted or rolled-back manifest could not be noticed.",
        "Sign a snapshot (`commons snapshot`; `commons sign` makes one too).";
    SnapshotInvalid = "snapshot-invalid", Error, [Verify],
        "The snapshot does not parse",
        "`snapshot.yaml` is not a valid snapshot document.",
        "Restore it from git, or sign a new one (`commons snapshot`).";
    SnapshotUnsigned = "snapshot-unsigned", Error, [Verify],
        "The snapshot carries no valid member signature",
        "No signature beside `snapshot.yaml` is a valid signature of a member in force.",
        "A member signs a new snapshot (`commons snapshot`).";
    SnapshotRollback = "snapshot-rollback", Error, [Verify],
        "The snapshot is older than one this clone has verified, or than the governance",
        "The snapshot's version is lower than one this clone verified before, or it predates the governance version in force: the repository was reset to an older state.",
        "Find out why; restore the newer snapshot from another clone, or a member signs a new one.";
    SnapshotExpired = "snapshot-expired", Error, [Verify],
        "The snapshot is past its expiry",
        "The snapshot is older than `policy.snapshot_expiry_days` allows, so it may hide changes made since.",
        "A member signs a fresh snapshot (`commons snapshot`).";
    ManifestDeleted = "manifest-deleted", Error, [Verify],
        "A manifest the snapshot lists is not in the tree",
        "The signed snapshot lists a manifest that is gone from the repository.",
        "Restore the manifest from git, or members sign a snapshot without it.";
    ManifestRolledBack = "manifest-rolled-back", Error, [Verify],
        "A manifest is an older version than the snapshot lists",
        "A manifest's digest is one of its earlier versions, not the one the signed snapshot lists: it was rolled back with its old signatures.",
        "Restore the version the snapshot lists from git.";
    ManifestNotInSnapshot = "manifest-not-in-snapshot", Warning, [Verify],
        "A manifest is not in the latest snapshot as it stands: not yet accepted",
        "An otherwise valid manifest is not in the signed snapshot as it stands (new or changed since), so it is not yet part of what the members accepted.",
        "A member signs a new snapshot (`commons snapshot`) once the manifest is accepted.";
    WaiverExpired = "waiver-expired", Error, [Verify, Check],
        "A waiver of the commons' policy has expired; its findings count again",
        "A waiver in `policy.exceptions` is past its `expires` date; the findings it waived are reported again.",
        "Fix the findings, or members renew the waiver (`commons policy waive … --expires`).";
    UncommittedChange = "uncommitted-change", Warning, [Verify],
        "A file verify relies on differs from what is committed",
        "commons.yaml, a governance version or the snapshot differs from HEAD: others see what is committed, not this working tree.",
        "Commit the change through `commons` (or restore the file from git).";
    NcPropagation = "nc-propagation", Error, [Check],
        "A non-commercial license upstream, but the record is offered for commercial use or under a license that allows it",
        "A license in the record's lineage forbids commercial use, and the record is marked commercial or may be taken under a license that allows commercial use.",
        "Offer the record under a non-commercial license and not commercially, or remove the upstream from its lineage.";
    ShareAlikeViolation = "share-alike-violation", Error, [Check],
        "A share-alike license upstream, but the record may be taken under a license it does not allow",
        "A share-alike license in the lineage requires derivatives under the same (or a compatible) license, and the record may be taken under another.",
        "Offer the record under the share-alike license (or one it names as compatible) only, or remove the upstream.";
    ShareAlikeConflict = "share-alike-conflict", Error, [Check],
        "Two share-alike licenses upstream that no single license can satisfy",
        "Two records in the lineage carry share-alike licenses whose allowed licenses for derivatives have nothing in common.",
        "Remove one of the two upstreams from the lineage.";
    OutboundIncompatible = "outbound-incompatible", Error, [Check],
        "An upstream license requires derivatives to stay under it, and the record's license does not include it",
        "A license in the lineage requires derivatives to remain under it (or one it names), and the record may be taken under another.",
        "Include the required license in the record's license expression.";
    UseRestrictionsDropped = "use-restrictions-dropped", Error, [Check],
        "Use restrictions an upstream license requires to be passed on are missing from the record",
        "A license in the lineage (RAIL, Llama, Gemma…) requires its use restrictions to flow down, and the record does not carry them.",
        "Add the restrictions to the record (`--use-restriction TEXT`).";
    LicenseCopyMissing = "license-copy-missing", Error, [Check],
        "An upstream license must travel with every copy, and the record ships no license file",
        "A license in the lineage requires a copy of it with every copy, and the record lists no license file, or lists one that is not among its files.",
        "Ship the license text with the files and list it (`--license-file LICENSE`).";
    LicenseCopyMismatch = "license-copy-mismatch", Error, [Check],
        "A file listed as the copy of an upstream license is another license's text, or none",
        "A license in the lineage requires a copy of it with every copy, and the file the record lists as that copy is, by its content (SPDX matching guidelines, or the catalog entry's fingerprint), another license's text or no license at all.",
        "Ship the upstream license's own text and list it (`--license-file FILE`).";
    NoticeMissing = "notice-missing", Error, [Check],
        "A notice an upstream license requires every copy to carry is missing",
        "A license in the lineage prescribes a notice (or the upstream records one) that every copy must carry, and the record's `license.notices` lacks it.",
        "Add the notice (`--notice TEXT`).";
    AttributionMissing = "attribution-missing", Error, [Check],
        "An upstream license requires credit, and the record's notices do not credit the upstream",
        "A license in the lineage requires attribution, and no notice of the record names the upstream record.",
        "Add a notice crediting the upstream and its license (`--notice \"TITLE (LICENSE)\"`).";
    NamingPrefix = "naming-prefix", Error, [Check],
        "An upstream license requires derivative names to begin with a given prefix",
        "A license in the lineage (Llama 3: \"Llama 3\"; Llama 3.1+: \"Llama\") requires the published name to begin with a prefix; look-alike letters from other scripts do not count.",
        "Publish the model under a name that begins with the prefix (`--published-name`).";
    DisplayAttribution = "display-attribution", Error, [Check],
        "An upstream license requires a \"Built with …\" display where the model is offered",
        "A license in the lineage requires a display such as \"Built with Llama\" where the model is offered, and the record declares none.",
        "Add the display (`--display-attribution TEXT`) and show it on the model's page.";
    ResearchOnly = "research-only", Error, [Check],
        "A research-only license upstream, but the record is offered beyond research",
        "A license in the lineage limits use to research, and the record is marked commercial or may be taken under a license that is not so limited.",
        "Keep the record for research under that license (commercial: false), or obtain a commercial license.";
    CompetingModelClause = "competing-model-clause", Error, [Check],
        "The model was trained on outputs of a model whose license forbids improving other models with them",
        "The model was distilled from, or trained on data generated by, a model whose license forbids using its outputs to improve other models, and it is not under that license itself.",
        "Retrain without the generated data, or offer the model under that license as a derivative of it.";
    GeneratorTerms = "generator-terms", Warning, [Check],
        "The model was trained on outputs of a service whose terms restrict using them to build competing models",
        "The model was distilled from, or trained on data generated by, a proprietary service whose terms of use forbid using its outputs to develop models that compete with it; whether the model competes is a question the records cannot settle.",
        "Make sure the model does not compete with the service as its terms mean it, or retrain without the data it generated.";
    HostingUse = "hosting-use", Error, [Check],
        "An upstream license restricts offering the model as a hosted service, and the record is served",
        "A license in the lineage (AGPL-3.0 §13, Falcon-180B) restricts serving the model, the record is served, and no hosting license is recorded.",
        "Obtain what the license requires and record it (`--obtained LICENSE:hosting:EVIDENCE`), or do not serve the model.";
    PermissionRequired = "permission-required", Error, [Check],
        "An upstream license requires the licensor's permission for what the record does",
        "A license in the lineage requires the licensor's permission for commercial use or for sharing derivatives, and none is recorded.",
        "Obtain written permission and record it (`--obtained LICENSE:commercial:EVIDENCE`, or `derivatives`), or stop that use.";
    ReciprocityReport = "reciprocity-report", Error, [Check],
        "A reciprocal license upstream requires evaluations to be contributed back, and none is recorded",
        "A reciprocal license in the lineage requires evaluations of derivatives to be contributed back, and no evaluation of the record is in the commons.",
        "Evaluate the model and record the result (`commons eval ID`).";
    UpstreamDeclaredMismatch = "upstream-declared-mismatch", Error, [Check],
        "The license the source declared (license.declared) differs from the recorded expression",
        "The license the record's source declared (`license.declared`, from the Hub card) names none of the licenses of the recorded expression.",
        "Find out which license really applies; correct `license.expression`, or the source's card.";
    UpstreamLicenseUnknown = "upstream-license-unknown", Error, [Check],
        "A record in the lineage has a license the catalog does not know, or none",
        "A record upstream states no license, or one the catalog does not know, so the obligations it passes down cannot be checked.",
        "Record the upstream's license, or add the license to the commons' `licenses/` folder.";
    MissingProvenance = "missing-provenance", Error, [Check],
        "The lineage cannot be followed: a reference is missing or unpinned, or required provenance is not recorded",
        "A lineage reference names a record that is missing or is unpinned, or a reciprocal license upstream requires provenance (training data, data sources) the records lack.",
        "Record or fetch the missing record and pin the reference, or record the training data and data sources.";
    LicenseMissing = "license-missing", Error, [Check],
        "The record states no license",
        "The record has no `license`, so nothing about its use or its derivatives can be checked.",
        "Record the license it is offered under (`commons record … --license EXPR`).";
    LicenseUnknown = "license-unknown", Warning, [Check],
        "The record's own license is not in the catalog, so obligations on it cannot be checked",
        "The record's license expression names a license the catalog does not know, so what it allows derivatives cannot be checked.",
        "Add a YAML file describing the license's obligations to the commons' `licenses/` folder.";
    LicenseNotAccepted = "license-not-accepted", Error, [Check],
        "The record's license is not among the licenses this commons accepts",
        "No choice of the record's license expression is made only of licenses in `policy.accepted_licenses`.",
        "Offer the record under an accepted license, or members change `policy.accepted_licenses`.";
    CardLicenseDrift = "card-license-drift", Error, [Check],
        "The model card declares a different license than the manifest",
        "With `--card DIR`: the license in the model card's front matter is another license than the manifest records, or none the catalog knows.",
        "Make the card and the manifest agree on the license that really applies.";
    LicenseFileDrift = "license-file-drift", Error, [Check],
        "The LICENSE file is a different license than the manifest states",
        "With `--card DIR`: a LICENSE (LICENCE, COPYING) file in the artifact folder is the text of another license than the manifest records.",
        "Ship the text of the license the manifest records, or correct the manifest.";
}

/// Where the rules reference lives, in the repository and as published.
pub const REFERENCE: &str = "commands/rules.md";

impl Rule {
    pub fn level(self) -> Severity {
        self.facts().level
    }

    /// The rules `tool` reports, in reference order.
    pub fn of(tool: Tool) -> impl Iterator<Item = Rule> {
        Rule::ALL
            .iter()
            .copied()
            .filter(move |r| r.facts().tools.contains(&tool))
    }

    /// `quorum-not-met` → `QuorumNotMet` (SARIF's rule `name`).
    pub fn pascal_name(self) -> String {
        self.name()
            .split('-')
            .map(|w| {
                let mut c = w.chars();
                c.next()
                    .map(|first| first.to_uppercase().chain(c).collect::<String>())
                    .unwrap_or_default()
            })
            .collect()
    }

    /// The rule's entry in the published rules reference.
    pub fn help_uri(self) -> String {
        format!(
            "{}/blob/main/{REFERENCE}#{}",
            env!("CARGO_PKG_REPOSITORY"),
            self.name()
        )
    }
}

impl std::fmt::Display for Rule {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

/// A rule name that is not one.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "unknown rule `{given}`; the nearest is `{nearest}` (every rule: {REFERENCE}, `man commons-verify`, `man commons-check`)"
)]
pub struct UnknownRule {
    pub given: String,
    pub nearest: Rule,
}

impl std::str::FromStr for Rule {
    type Err = UnknownRule;

    fn from_str(s: &str) -> Result<Rule, UnknownRule> {
        if let Some(r) = Rule::ALL.iter().find(|r| r.name() == s) {
            return Ok(*r);
        }
        let nearest = Rule::ALL
            .iter()
            .copied()
            .min_by_key(|r| edit_distance(&s.to_ascii_lowercase(), r.name()))
            .expect("rules exist");
        Err(UnknownRule {
            given: s.to_owned(),
            nearest,
        })
    }
}

/// Levenshtein distance, over chars (names are short).
fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut diagonal = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let above = row[j + 1];
            row[j + 1] = (diagonal + usize::from(ca != *cb))
                .min(above + 1)
                .min(row[j] + 1);
            diagonal = above;
        }
    }
    row[b.len()]
}

impl serde::Serialize for Rule {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.name())
    }
}

impl<'de> serde::Deserialize<'de> for Rule {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Rule, D::Error> {
        let name = std::borrow::Cow::<'de, str>::deserialize(d)?;
        name.parse().map_err(serde::de::Error::custom)
    }
}

impl schemars::JsonSchema for Rule {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "Rule".into()
    }

    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        let names: Vec<&str> = Rule::ALL.iter().map(|r| r.name()).collect();
        schemars::json_schema!({
            "description": "A rule of `commons verify` or `commons check` (commands/rules.md)",
            "type": "string",
            "enum": names,
        })
    }
}

/// The rules reference, `commands/rules.md`: generated from the table
/// above and checked fresh by the test suite.
pub fn reference() -> String {
    let mut out = String::from(
        "# Rules\n\n\
         <!-- Generated from src/rule.rs by `COMMONS_REGENERATE=1 cargo test --test cli generated`; do not edit. -->\n\n\
         Every rule `commons verify` and `commons check` report, by its stable\n\
         name. The level is the default: waivers in the commons' policy\n\
         (`commons policy waive RULE ID`) and `--allow`, `--warn`, `--deny RULE`\n\
         change it. In `--format json` a finding's `rule` is this name; in\n\
         SARIF it is the result's `ruleId`, and the rule table carries the\n\
         descriptions and help below, with a link to each entry.\n\n\
         | rule | level | reported by | meaning |\n|---|---|---|---|\n",
    );
    for r in Rule::ALL {
        let f = r.facts();
        let tools: Vec<&str> = f.tools.iter().map(|t| t.as_str()).collect();
        out.push_str(&format!(
            "| [`{0}`](#{0}) | {1} | {2} | {3} |\n",
            r.name(),
            f.level.as_str(),
            tools.join(", "),
            f.short
        ));
    }
    for r in Rule::ALL {
        let f = r.facts();
        out.push_str(&format!(
            "\n## {}\n\n{}\n\n**Fix:** {}\n",
            r.name(),
            f.full,
            f.help
        ));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_unique_kebab_case_and_parse_back() {
        let mut seen = std::collections::HashSet::new();
        for r in Rule::ALL {
            let n = r.name();
            assert!(seen.insert(n), "{n} twice");
            assert!(
                n.split('-')
                    .all(|w| !w.is_empty() && w.chars().all(|c| c.is_ascii_lowercase())),
                "{n}"
            );
            assert_eq!(n.parse::<Rule>(), Ok(*r));
            assert!(!r.facts().tools.is_empty());
        }
    }

    #[test]
    fn an_unknown_name_names_the_nearest_rule() {
        let e = "quorum-not-mte".parse::<Rule>().unwrap_err();
        assert_eq!(e.nearest, Rule::QuorumNotMet);
        assert!(e.to_string().contains("`quorum-not-met`"), "{e}");
        assert_eq!(
            "NC-Propagation".parse::<Rule>().unwrap_err().nearest,
            Rule::NcPropagation
        );
    }

    #[test]
    fn each_tool_has_its_rules() {
        assert!(Rule::of(Tool::Verify).any(|r| r == Rule::QuorumNotMet));
        assert!(!Rule::of(Tool::Verify).any(|r| r == Rule::NcPropagation));
        assert!(Rule::of(Tool::Check).any(|r| r == Rule::ReferenceDigestMismatch));
    }
}
