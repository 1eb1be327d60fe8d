//! Every rule of `verify` and `check`, produced by a scenario: a mistake or
//! an attack as a user would make it, on a real commons (git, minisign
//! keys), run through the real binary with `--format json`.
//!
//! The table is checked both ways: each scenario emits exactly the rules it
//! declares (an attack shows all its traces, and nothing unrelated fires),
//! and the scenarios that pass produce every rule of `Rule::ALL` between
//! them, so a rule added without a scenario fails the suite, by name.
//! Scenarios work on copies of commons built once, and run side by side.

use std::collections::BTreeSet;
use std::panic::AssertUnwindSafe;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Mutex, OnceLock};

use commons::rule::{Rule, Tool};

use crate::check::{
    LLAMA31_FINGERPRINT, Lineage, common_license, gemma_finetune_shipping, nc_instructions,
    reciprocal_derivative, synthetic,
};
use crate::governance::{mallory_key, minisign_sign, sha256};
use crate::support::{Outcome, Test, copy_dir};

type Rules = BTreeSet<Rule>;

struct Scenario {
    /// What the user did.
    what: &'static str,
    /// The rules it produces, all of them and only them.
    rules: &'static [Rule],
    run: Run,
}

enum Run {
    /// `verify`, on a copy of the signed commons of `core::recorded`
    /// (`lab/corpus` and the model `lab/tiny` trained on it), verified once.
    Verify(fn(&Test) -> Rules),
    /// `check`, on a copy of a new commons with one member.
    Check(fn(&Lineage) -> Rules),
    /// `verify`, on a copy of the signed commons where a tiny model was
    /// evaluated in two shards merged into the evaluation given by id.
    #[cfg(feature = "ml")]
    Evaluated(fn(&Test, &str) -> Rules),
}

impl Run {
    fn tool(&self) -> Tool {
        match self {
            Run::Verify(_) => Tool::Verify,
            Run::Check(_) => Tool::Check,
            #[cfg(feature = "ml")]
            Run::Evaluated(_) => Tool::Verify,
        }
    }
}

const TINY: &str = "manifests/models/lab/tiny.yaml";
const CORPUS: &str = "manifests/datasets/lab/corpus.yaml";

const SCENARIOS: &[Scenario] = &[
    Scenario {
        what: "a manifest left with broken YAML by a bad merge",
        rules: &[Rule::ManifestInvalid],
        run: Run::Verify(|t| {
            t.write(TINY, "kind: model\nid: [lab/tiny\n");
            commit(t, "merge");
            verify(t, &["--no-files"])
        }),
    },
    Scenario {
        what: "the policy comes to require a description the records lack",
        rules: &[Rule::FieldMissing],
        run: Run::Verify(|t| {
            t.cmd(["policy", "set", "required-fields", "description"])
                .success();
            verify(t, &["--no-files"])
        }),
    },
    Scenario {
        what: "a signature file truncated in transit",
        rules: &[Rule::SignatureMalformed, Rule::QuorumNotMet],
        run: Run::Verify(|t| {
            let sig = format!("{TINY}.alice.minisig");
            let text = t.read(&sig);
            t.write(&sig, &text[..text.len() / 2]);
            commit(t, "truncated");
            verify(t, &["--no-files"])
        }),
    },
    Scenario {
        what: "a manifest byte changed, and the signature's comment edited to bind the new digest",
        rules: &[Rule::SignatureInvalid, Rule::QuorumNotMet],
        run: Run::Verify(|t| {
            let old = sha256(t, TINY);
            t.write(TINY, t.read(TINY).replace("by the lab", "by the lad"));
            let new = sha256(t, TINY);
            let sig = format!("{TINY}.alice.minisig");
            t.write(&sig, t.read(&sig).replace(&old, &new));
            commit(t, "relicense");
            verify(t, &["--no-files"])
        }),
    },
    Scenario {
        what: "a manifest edited after it was signed",
        rules: &[Rule::SignatureStale, Rule::QuorumNotMet],
        run: Run::Verify(|t| {
            t.write(TINY, t.read(TINY).replace("Apache-2.0", "MIT"));
            commit(t, "relicense");
            verify(t, &["--no-files"])
        }),
    },
    Scenario {
        what: "another manifest's signature copied beside a manifest",
        rules: &[Rule::SignatureMisplaced, Rule::QuorumNotMet],
        run: Run::Verify(|t| {
            t.write(
                &format!("{TINY}.alice.minisig"),
                t.read(&format!("{CORPUS}.alice.minisig")),
            );
            commit(t, "sign");
            verify(t, &["--no-files"])
        }),
    },
    Scenario {
        what: "someone who is no member signs a manifest with a key of their own",
        rules: &[Rule::SignatureUntrusted],
        run: Run::Verify(|t| {
            let (_, key) = mallory_key(t);
            let comment = format!(
                "commons-manifest id=lab/tiny kind=model sha256={} signer=mallory timestamp=1",
                sha256(t, TINY)
            );
            minisign_sign(t, &key, TINY, &format!("{TINY}.mallory.minisig"), &comment);
            commit(t, "sign");
            verify(t, &["--no-files"])
        }),
    },
    Scenario {
        what: "a member's key revoked after it signed",
        rules: &[Rule::SignatureRevoked],
        run: Run::Verify(|t| {
            t.cmd(["key", "generate", "--name", "bob", "--no-password"])
                .success();
            t.cmd(["sign", "--as", "bob", "lab/tiny"]).success();
            t.cmd(["key", "revoke", "bob", "--reason", "laptop lost"])
                .success();
            verify(t, &["--no-files"])
        }),
    },
    Scenario {
        what: "the quorum raised to two members while one has signed",
        rules: &[Rule::QuorumNotMet],
        run: Run::Verify(|t| {
            t.cmd(["policy", "set", "quorum", "2"]).success();
            verify(t, &["--no-files"])
        }),
    },
    Scenario {
        what: "a dataset removed while a model still names it as its training data",
        rules: &[Rule::ReferenceMissing, Rule::ManifestDeleted],
        run: Run::Verify(|t| {
            t.git(&["rm", "-q", CORPUS, &format!("{CORPUS}.alice.minisig")]);
            t.git(&["commit", "-qm", "drop the corpus"]);
            verify(t, &["--no-files"])
        }),
    },
    Scenario {
        what: "a reference written by hand without the upstream's digest, then signed",
        rules: &[Rule::ReferenceUnpinned],
        run: Run::Verify(|t| {
            let digest = sha256(t, CORPUS);
            let text: String = t
                .read(TINY)
                .lines()
                .filter(|l| !l.contains(&digest))
                .map(|l| format!("{l}\n"))
                .collect();
            t.write(TINY, text);
            t.cmd(["sign", "--all"]).success();
            verify(t, &["--no-files"])
        }),
    },
    Scenario {
        what: "an upstream dataset relicensed and signed again",
        rules: &[Rule::ReferenceDigestMismatch],
        run: Run::Verify(|t| {
            t.write(CORPUS, t.read(CORPUS).replace("CC-BY-4.0", "CC-BY-SA-4.0"));
            t.cmd(["sign", "lab/corpus"]).success();
            verify(t, &["--no-files"])
        }),
    },
    Scenario {
        what: "a recorded file replaced by a symbolic link to a file outside its folder",
        rules: &[Rule::FilePathEscapes],
        run: Run::Verify(|t| {
            let config = t.path("work/model/config.json");
            std::fs::remove_file(&config).unwrap();
            std::os::unix::fs::symlink("../data/LICENSE", &config).unwrap();
            verify(t, &["lab/tiny", "--files", "work/model"])
        }),
    },
    Scenario {
        what: "weights overwritten on disk",
        rules: &[Rule::FileModified],
        run: Run::Verify(|t| {
            t.write("work/model/weights.bin", vec![8u8; 4096]);
            verify(t, &["lab/tiny", "--files", "work/model"])
        }),
    },
    Scenario {
        what: "a recorded file deleted",
        rules: &[Rule::FileMissing],
        run: Run::Verify(|t| {
            std::fs::remove_file(t.path("work/model/config.json")).unwrap();
            verify(t, &["lab/tiny", "--files", "work/model"])
        }),
    },
    Scenario {
        what: "a file dropped into a recorded folder",
        rules: &[Rule::FileExtra],
        run: Run::Verify(|t| {
            t.write("work/model/notes.txt", "not recorded");
            verify(t, &["lab/tiny", "--files", "work/model"])
        }),
    },
    Scenario {
        what: "verify without the files at hand",
        rules: &[Rule::FilesNotFound],
        run: Run::Verify(|t| verify(t, &["lab/tiny"])),
    },
    Scenario {
        what: "a commons from before signed governance and snapshots",
        rules: &[Rule::GovernanceUnsigned, Rule::SnapshotMissing],
        run: Run::Verify(|t| {
            std::fs::remove_dir_all(t.path("governance")).unwrap();
            std::fs::remove_dir_all(t.path(".git/commons")).unwrap();
            let legacy: String = t
                .read("commons.yaml")
                .lines()
                .filter(|l| !l.starts_with("version:"))
                .map(|l| format!("{l}\n"))
                .collect();
            t.write("commons.yaml", legacy);
            t.git(&["rm", "-q", "snapshot.yaml", "snapshot.yaml.alice.minisig"]);
            commit(t, "legacy");
            verify(t, &["--no-files"])
        }),
    },
    Scenario {
        what: "commons.yaml edited and pushed without a signed governance version",
        rules: &[Rule::GovernanceUnsignedEdit],
        run: Run::Verify(|t| {
            t.write(
                "commons.yaml",
                t.read("commons.yaml")
                    .replace("Test Commons", "Taken Commons"),
            );
            commit(t, "relax");
            verify(t, &["--no-files"])
        }),
    },
    Scenario {
        what: "a stranger proposes themself as a member",
        rules: &[Rule::GovernancePending],
        run: Run::Verify(|t| {
            t.cmd_as(
                "mallory",
                ["key", "generate", "--name", "mallory", "--no-password"],
            )
            .success();
            verify(t, &["--no-files"])
        }),
    },
    Scenario {
        what: "governance version 1 replayed, with its signatures, as version 3",
        rules: &[Rule::GovernanceInvalid],
        run: Run::Verify(|t| {
            t.cmd(["policy", "set", "snapshot-expiry-days", "30"])
                .success();
            replay_version(t, 1, 3);
            commit(t, "replay");
            verify(t, &["--no-files"])
        }),
    },
    Scenario {
        what: "a governance version deleted from the middle of the chain",
        rules: &[
            Rule::GovernanceChainBroken,
            Rule::GovernanceUnsignedEdit,
            Rule::GovernanceRollback,
            Rule::SnapshotRollback,
        ],
        run: Run::Verify(|t| {
            t.cmd(["policy", "set", "snapshot-expiry-days", "30"])
                .success();
            t.cmd(["policy", "set", "snapshot-expiry-days", "60"])
                .success();
            t.git(&["rm", "-q", "governance/0002.yaml*"]);
            t.git(&["commit", "-qm", "tidy"]);
            verify(t, &["--no-files"])
        }),
    },
    Scenario {
        what: "CI pins a root, and the commons was replaced",
        rules: &[Rule::GovernanceRootMismatch],
        run: Run::Verify(|t| {
            let other = "0".repeat(64);
            verify(t, &["--no-files", "--root", &other])
        }),
    },
    Scenario {
        what: "the first verify in a fresh clone",
        rules: &[Rule::GovernanceRootPinned],
        run: Run::Verify(|t| {
            let clone = t.home.path().join("clone");
            t.git(&["clone", "-q", ".", clone.to_str().unwrap()]);
            verify(t, &["-C", clone.to_str().unwrap(), "--no-files"])
        }),
    },
    Scenario {
        what: "someone who can push but holds no key removes the newest governance version",
        rules: &[Rule::GovernanceRollback, Rule::SnapshotRollback],
        run: Run::Verify(|t| {
            t.cmd(["policy", "set", "snapshot-expiry-days", "30"])
                .success();
            t.cmd(["verify", "--no-files"]).success();
            t.git(&["checkout", "HEAD~1", "--", "commons.yaml"]);
            t.git(&["rm", "-q", "governance/0002.yaml*"]);
            t.git(&["commit", "-qm", "restore"]);
            verify(t, &["--no-files"])
        }),
    },
    Scenario {
        what: "the snapshot deleted",
        rules: &[Rule::SnapshotMissing],
        run: Run::Verify(|t| {
            t.git(&["rm", "-q", "snapshot.yaml", "snapshot.yaml.alice.minisig"]);
            t.git(&["commit", "-qm", "drop"]);
            verify(t, &["--no-files"])
        }),
    },
    Scenario {
        what: "the snapshot overwritten with something else",
        rules: &[Rule::SnapshotInvalid],
        run: Run::Verify(|t| {
            t.write("snapshot.yaml", "manifests: [\n");
            commit(t, "snapshot");
            verify(t, &["--no-files"])
        }),
    },
    Scenario {
        what: "the snapshot's signature removed",
        rules: &[Rule::SnapshotUnsigned],
        run: Run::Verify(|t| {
            t.git(&["rm", "-q", "snapshot.yaml.alice.minisig"]);
            t.git(&["commit", "-qm", "drop"]);
            verify(t, &["--no-files"])
        }),
    },
    Scenario {
        what: "the whole repository reset to before a clone's last verify",
        rules: &[Rule::SnapshotRollback],
        run: Run::Verify(|t| {
            let old = t.git(&["rev-parse", "HEAD"]).trim().to_owned();
            record_notes(t);
            t.cmd(["sign", "--all"]).success();
            t.cmd(["verify", "--no-files"]).success();
            t.git(&["reset", "-q", "--hard", &old]);
            verify(t, &["--no-files"])
        }),
    },
    Scenario {
        what: "a snapshot older than the policy allows",
        rules: &[Rule::SnapshotExpired],
        run: Run::Verify(|t| {
            t.cmd(["policy", "set", "snapshot-expiry-days", "0"])
                .success();
            record_notes(t);
            t.cmd(["sign", "--all"]).success();
            verify(t, &["--no-files"])
        }),
    },
    Scenario {
        what: "a leaf manifest deleted",
        rules: &[Rule::ManifestDeleted],
        run: Run::Verify(|t| {
            t.git(&["rm", "-q", TINY, &format!("{TINY}.alice.minisig")]);
            t.git(&["commit", "-qm", "drop"]);
            verify(t, &["--no-files"])
        }),
    },
    Scenario {
        what: "a manifest rolled back with its old signature",
        rules: &[Rule::ManifestRolledBack],
        run: Run::Verify(|t| {
            t.write(
                TINY,
                t.read(TINY).replace("trained by the lab", "trained here"),
            );
            t.cmd(["sign", "--all"]).success();
            let sig = format!("{TINY}.alice.minisig");
            t.git(&["checkout", "HEAD~1", "--", TINY, &sig]);
            t.git(&["commit", "-qm", "restore"]);
            verify(t, &["--no-files"])
        }),
    },
    Scenario {
        what: "a member signs a new record with the minisign tool, not with `commons sign`",
        rules: &[Rule::ManifestNotInSnapshot],
        run: Run::Verify(|t| {
            record_notes(t);
            let rel = "manifests/datasets/lab/notes.yaml";
            let comment = format!(
                "commons-manifest id=lab/notes kind=dataset sha256={} signer=alice timestamp=1",
                sha256(t, rel)
            );
            let key = t.home.path().join(".config/commons/keys/alice.key");
            minisign_sign(t, &key, rel, &format!("{rel}.alice.minisig"), &comment);
            commit(t, "sign");
            verify(t, &["--no-files"])
        }),
    },
    Scenario {
        what: "a waiver past its date",
        rules: &[Rule::WaiverExpired, Rule::QuorumNotMet],
        run: Run::Verify(|t| {
            t.cmd(["policy", "set", "quorum", "2"]).success();
            t.cmd([
                "policy",
                "waive",
                "quorum-not-met",
                "lab/tiny",
                "--reason",
                "until bob has a key",
                "--expires",
                "2020-01-01",
            ])
            .success();
            verify(t, &["lab/tiny", "--no-files"])
        }),
    },
    Scenario {
        what: "commons.yaml edited and not committed",
        rules: &[Rule::UncommittedChange, Rule::GovernanceUnsignedEdit],
        run: Run::Verify(|t| {
            t.write(
                "commons.yaml",
                t.read("commons.yaml").replace("quorum: 1", "quorum: 2"),
            );
            verify(t, &["--no-files"])
        }),
    },
    Scenario {
        what: "an Apache-2.0 model fine-tuned on non-commercial instructions",
        rules: &[Rule::NcPropagation],
        run: Run::Check(|l| {
            nc_instructions(l);
            check(l, &["acme/tuned"])
        }),
    },
    Scenario {
        what: "share-alike data in an MIT model",
        rules: &[Rule::ShareAlikeViolation],
        run: Run::Check(|l| {
            l.dataset("wiki/sa", &["--license", "CC-BY-SA-4.0"]);
            l.model(
                "acme/m",
                &[
                    "--license",
                    "MIT",
                    "--trained-on",
                    "wiki/sa",
                    "--notice",
                    "wiki/sa",
                ],
            );
            check(l, &["acme/m"])
        }),
    },
    Scenario {
        what: "two share-alike datasets merged",
        rules: &[Rule::ShareAlikeConflict],
        run: Run::Check(|l| {
            l.dataset("wiki/sa", &["--license", "CC-BY-SA-4.0"]);
            l.dataset("cdla/shared", &["--license", "CDLA-Sharing-1.0"]);
            let files = l.files("merged", "Attribution-ShareAlike 4.0 International");
            l.dataset(
                "acme/merged",
                &[
                    "--license",
                    "CC-BY-SA-4.0",
                    "--upstream",
                    "wiki/sa",
                    "--upstream",
                    "cdla/shared",
                    "--notice",
                    "from wiki/sa and cdla/shared",
                    "--files",
                    &files,
                    "--license-file",
                    "LICENSE",
                ],
            );
            check(l, &["acme/merged"])
        }),
    },
    Scenario {
        what: "a Llama 3.1 fine-tune relicensed as Apache-2.0",
        rules: &[Rule::OutboundIncompatible],
        run: Run::Check(|l| llama31_finetune(l, &[("--license", Some("Apache-2.0"))])),
    },
    Scenario {
        what: "a Llama 3.1 fine-tune shipped without the license text or its notice",
        rules: &[Rule::LicenseCopyMissing, Rule::NoticeMissing],
        run: Run::Check(|l| llama31_finetune(l, &[("--license-file", None), ("--notice", None)])),
    },
    Scenario {
        what: "a Llama 3.1 fine-tune that drops the acceptable use policy",
        rules: &[Rule::UseRestrictionsDropped],
        run: Run::Check(|l| llama31_finetune(l, &[("--use-restriction", None)])),
    },
    Scenario {
        what: "a Llama 3.1 fine-tune published under a name of its own",
        rules: &[Rule::NamingPrefix],
        run: Run::Check(|l| llama31_finetune(l, &[("--published-name", Some("Acme-Chat-8B"))])),
    },
    Scenario {
        what: "a Llama 3.1 fine-tune without \"Built with Llama\"",
        rules: &[Rule::DisplayAttribution],
        run: Run::Check(|l| llama31_finetune(l, &[("--display-attribution", None)])),
    },
    Scenario {
        what: "CC-BY data used without credit",
        rules: &[Rule::AttributionMissing],
        run: Run::Check(|l| {
            l.dataset(
                "wiki/corpus",
                &["--license", "CC-BY-4.0", "--title", "Wiki Corpus"],
            );
            l.model(
                "acme/m",
                &["--license", "MIT", "--trained-on", "wiki/corpus"],
            );
            check(l, &["acme/m"])
        }),
    },
    Scenario {
        what: "a research-only model fine-tuned and offered commercially",
        rules: &[Rule::ResearchOnly],
        run: Run::Check(|l| {
            let lic = "LicenseRef-mistral-research";
            l.model("mistralai/Codestral-22B", &["--license", lic]);
            let files = l.files("code", "Mistral AI Research License");
            l.model(
                "acme/code",
                &[
                    "--license",
                    lic,
                    "--derived-from",
                    "mistralai/Codestral-22B:fine-tune",
                    "--files",
                    &files,
                    "--license-file",
                    "LICENSE",
                    "--notice",
                    "Licensed by Mistral AI under the Mistral AI Research License",
                    "--commercial",
                    "true",
                ],
            );
            check(l, &["acme/code"])
        }),
    },
    Scenario {
        what: "a model trained on Llama 2 outputs",
        rules: &[Rule::CompetingModelClause],
        run: Run::Check(|l| {
            l.model(
                "meta-llama/Llama-2-70b-chat-hf",
                &["--license", "LicenseRef-llama2"],
            );
            synthetic(l, "meta-llama/Llama-2-70b-chat-hf", "Acme-Student");
            check(
                l,
                &["acme/student", "--distillation-is-derivative", "false"],
            )
        }),
    },
    Scenario {
        what: "a model trained on outputs of a proprietary service",
        rules: &[Rule::GeneratorTerms],
        run: Run::Check(|l| {
            l.model("openai/gpt-4o", &["--license", "LicenseRef-openai-terms"]);
            synthetic(l, "openai/gpt-4o", "Acme-Student");
            check(l, &["acme/student"])
        }),
    },
    Scenario {
        what: "an AGPL model served without its source",
        rules: &[Rule::HostingUse],
        run: Run::Check(|l| {
            l.model("gnu/agpl-model", &["--license", "AGPL-3.0-only"]);
            l.model(
                "acme/served",
                &[
                    "--license",
                    "AGPL-3.0-only",
                    "--derived-from",
                    "gnu/agpl-model:fine-tune",
                    "--weights",
                    "served",
                ],
            );
            check(l, &["acme/served"])
        }),
    },
    Scenario {
        what: "no-derivatives articles summarised into a dataset",
        rules: &[Rule::PermissionRequired],
        run: Run::Check(|l| {
            l.dataset("news/articles", &["--license", "CC-BY-NC-ND-4.0"]);
            l.dataset(
                "acme/summaries",
                &[
                    "--license",
                    "CC-BY-NC-4.0",
                    "--upstream",
                    "news/articles",
                    "--notice",
                    "From news/articles",
                ],
            );
            check(l, &["acme/summaries"])
        }),
    },
    Scenario {
        what: "a derivative of a reciprocal commons model that gives nothing back",
        rules: &[Rule::ReciprocityReport, Rule::MissingProvenance],
        run: Run::Check(|l| {
            reciprocal_derivative(l);
            check(l, &["acme/derived"])
        }),
    },
    Scenario {
        what: "a record whose Hub card declares another license",
        rules: &[Rule::UpstreamDeclaredMismatch],
        run: Run::Check(|l| {
            l.llama31();
            let path = "manifests/models/meta-llama/Llama-3.1-8B.yaml";
            let text = l.t.read(path).replace(
                "  expression: LicenseRef-llama3.1\n",
                "  expression: LicenseRef-llama3.1\n  declared: apache-2.0\n",
            );
            l.t.write(path, text);
            check(l, &["meta-llama/Llama-3.1-8B"])
        }),
    },
    Scenario {
        what: "a fine-tune of a model under a license the catalog does not know",
        rules: &[Rule::UpstreamLicenseUnknown, Rule::LicenseUnknown],
        run: Run::Check(|l| {
            l.model("acme/base", &["--license", "LicenseRef-acme-community"]);
            l.model(
                "acme/tuned",
                &[
                    "--license",
                    "LicenseRef-acme-community",
                    "--derived-from",
                    "acme/base:fine-tune",
                ],
            );
            check(l, &["acme/tuned"])
        }),
    },
    Scenario {
        what: "a model recorded without a license",
        rules: &[Rule::LicenseMissing],
        run: Run::Check(|l| {
            l.model("acme/m", &[]);
            check(l, &["acme/m"])
        }),
    },
    Scenario {
        what: "a non-commercial model in a commons that accepts only MIT",
        rules: &[Rule::LicenseNotAccepted],
        run: Run::Check(|l| {
            l.model("acme/c", &["--license", "CC-BY-NC-4.0"]);
            l.t.cmd(["policy", "set", "accepted-licenses", "MIT"])
                .success();
            check(l, &["acme/c"])
        }),
    },
    Scenario {
        what: "a model card that declares Apache-2.0 for a Llama 3.1 model",
        rules: &[Rule::CardLicenseDrift],
        run: Run::Check(|l| {
            l.llama31();
            l.t.write("art/README.md", "---\nlicense: apache-2.0\n---\n# Llama\n");
            l.t.write("art/LICENSE", LLAMA31_FINGERPRINT);
            check(l, &["meta-llama/Llama-3.1-8B", "--card", "art"])
        }),
    },
    Scenario {
        what: "a Gemma fine-tune that ships Apache-2.0's text as Gemma's license",
        rules: &[Rule::LicenseCopyMismatch, Rule::LicenseFileDrift],
        run: Run::Check(|l| {
            let apache = common_license("Apache-2.0")
                .expect("Apache-2.0's text (Debian package base-files)");
            gemma_finetune_shipping(l, &apache);
            check(l, &["acme/gemma-ft", "--card", "gemma-ft"])
        }),
    },
];

/// Scenarios that run an evaluation (on a tiny random model).
#[cfg(feature = "ml")]
const EVAL_SCENARIOS: &[Scenario] = &[
    Scenario {
        what: "a metric of a merged evaluation edited by hand and signed again",
        rules: &[Rule::EvalMergeMismatch],
        run: Run::Evaluated(|t, id| {
            let rel = format!("manifests/evals/{id}.yaml");
            let mut yaml: serde_yaml::Value = serde_yaml::from_str(&t.read(&rel)).unwrap();
            let acc = &mut yaml["eval"]["metrics"]["acc"]["value"];
            *acc = serde_yaml::Value::from(acc.as_f64().unwrap() + 0.125);
            t.write(&rel, serde_yaml::to_string(&yaml).unwrap());
            t.cmd(["sign", "--all"]).success();
            verify(t, &[id, "--no-files"])
        }),
    },
    Scenario {
        what: "one item's score in a signed evaluation's samples rewritten by a pusher without a key",
        rules: &[Rule::EvalSamplesMismatch],
        run: Run::Evaluated(|t, id| {
            let rel = format!("manifests/evals/{id}.yaml");
            let yaml: serde_yaml::Value = serde_yaml::from_str(&t.read(&rel)).unwrap();
            let file = yaml["eval"]["samples"]["file"].as_str().unwrap();
            let samples = t.path(&rel).with_file_name(file);
            let text = zstd::decode_all(&std::fs::read(&samples).unwrap()[..]).unwrap();
            let text = String::from_utf8(text).unwrap();
            let forged = if text.contains("\"correct\":1.0") {
                text.replacen("\"correct\":1.0", "\"correct\":0.0", 1)
            } else {
                text.replacen("\"correct\":0.0", "\"correct\":1.0", 1)
            };
            std::fs::write(&samples, zstd::encode_all(forged.as_bytes(), 3).unwrap()).unwrap();
            verify(t, &[id, "--no-files"])
        }),
    },
    Scenario {
        what: "a merged evaluation verified in a shallow clone",
        rules: &[Rule::EvalShardsUnavailable],
        run: Run::Evaluated(|t, id| {
            let shallow = t.shallow_clone("shallow");
            // CI pins the root it trusts, so the fresh clone pins nothing.
            let root = sha256(t, "governance/0001.yaml");
            let shallow = shallow.to_str().unwrap();
            verify(t, &["-C", shallow, id, "--no-files", "--root", &root])
        }),
    },
];

#[cfg(feature = "ml")]
const NEEDS_FEATURES: &[Rule] = &[];
/// Without the `ml` feature nothing evaluates, so nothing is merged.
#[cfg(not(feature = "ml"))]
const NEEDS_FEATURES: &[Rule] = &[
    Rule::EvalMergeMismatch,
    Rule::EvalShardsUnavailable,
    Rule::EvalSamplesMismatch,
];

fn scenarios() -> impl Iterator<Item = &'static Scenario> {
    #[cfg(feature = "ml")]
    let more = EVAL_SCENARIOS;
    #[cfg(not(feature = "ml"))]
    let more: &[Scenario] = &[];
    // The slowest first.
    more.iter().chain(SCENARIOS)
}

/// What one scenario produced: its rules, or why it could not run.
struct Observed {
    scenario: &'static Scenario,
    emitted: Result<Rules, String>,
}

impl Observed {
    /// What is wrong with the scenario's outcome, if anything.
    fn failure(&self) -> Option<String> {
        let s = self.scenario;
        let declared: Rules = s.rules.iter().copied().collect();
        let tool = s.run.tool();
        if let Some(r) = declared.iter().find(|r| !r.facts().tools.contains(&tool)) {
            return Some(format!(
                "{}: declares {r}, which `{}` does not report",
                s.what,
                tool.as_str()
            ));
        }
        let emitted = match &self.emitted {
            Ok(e) => e,
            Err(e) => return Some(format!("{}: could not run: {e}", s.what)),
        };
        (*emitted != declared).then(|| {
            format!(
                "{}: declares {}, emitted {}",
                s.what,
                names(&declared),
                names(emitted)
            )
        })
    }
}

fn names(rules: &Rules) -> String {
    let v: Vec<&str> = rules.iter().map(|r| r.name()).collect();
    format!("[{}]", v.join(", "))
}

/// Every scenario's outcome, run once for the tests of this module.
fn observed() -> &'static [Observed] {
    static OBSERVED: OnceLock<Vec<Observed>> = OnceLock::new();
    OBSERVED.get_or_init(run_all)
}

fn run_all() -> Vec<Observed> {
    let bases = Bases::new();
    let all: Vec<&'static Scenario> = scenarios().collect();
    let next = AtomicUsize::new(0);
    let done = Mutex::new(Vec::new());
    let workers = std::thread::available_parallelism().map_or(2, |n| n.get()) * 2;
    std::thread::scope(|s| {
        for _ in 0..workers {
            s.spawn(|| {
                while let Some(&scenario) = all.get(next.fetch_add(1, Ordering::Relaxed)) {
                    let emitted =
                        std::panic::catch_unwind(AssertUnwindSafe(|| bases.run(&scenario.run)))
                            .map_err(|p| {
                                p.downcast_ref::<String>()
                                    .cloned()
                                    .or_else(|| p.downcast_ref::<&str>().map(|s| s.to_string()))
                                    .unwrap_or_default()
                            });
                    done.lock().unwrap().push(Observed { scenario, emitted });
                }
            });
        }
    });
    let mut done = done.into_inner().unwrap();
    done.sort_by_key(|o| all.iter().position(|s| std::ptr::eq(*s, o.scenario)));
    done
}

/// The commons scenarios start from, built once.
struct Bases {
    signed: Test,
    member: Test,
    #[cfg(feature = "ml")]
    evaluated: OnceLock<(Test, String)>,
}

impl Bases {
    fn new() -> Bases {
        let signed = crate::core::recorded();
        signed.cmd(["verify", "--no-files"]).success();
        Bases {
            signed,
            member: Test::with_member(),
            #[cfg(feature = "ml")]
            evaluated: OnceLock::new(),
        }
    }

    /// Runs a scenario on a copy of its base.
    fn run(&self, run: &Run) -> Rules {
        match run {
            Run::Verify(f) => f(&copy_of(&self.signed)),
            Run::Check(f) => f(&Lineage {
                t: copy_of(&self.member),
            }),
            #[cfg(feature = "ml")]
            Run::Evaluated(f) => {
                let (base, id) = self.evaluated.get_or_init(|| {
                    let t = copy_of(&self.signed);
                    let id = merged_eval(&t);
                    (t, id)
                });
                f(&copy_of(base), id)
            }
        }
    }
}

/// A copy of `base` (its home: keys, clone pins and the commons).
fn copy_of(base: &Test) -> Test {
    let t = Test::new();
    copy_dir(base.home.path(), t.home.path());
    t
}

#[test]
fn every_scenario_emits_the_rules_it_declares() {
    let failures: Vec<String> = observed().iter().filter_map(Observed::failure).collect();
    assert!(failures.is_empty(), "\n{}", failures.join("\n"));
}

#[test]
fn every_rule_is_produced_by_a_scenario() {
    let produced: Rules = observed()
        .iter()
        .filter(|o| o.failure().is_none())
        .flat_map(|o| o.scenario.rules.iter().copied())
        .chain(NEEDS_FEATURES.iter().copied())
        .collect();
    let uncovered: Rules = Rule::ALL
        .iter()
        .copied()
        .filter(|r| !produced.contains(r))
        .collect();
    assert!(
        uncovered.is_empty(),
        "no passing scenario in tests/cli/rules.rs produces {}",
        names(&uncovered)
    );
}

/// The rules of `verify --format json` with `args`.
fn verify(t: &Test, args: &[&str]) -> Rules {
    let mut cmd = vec!["verify", "--format", "json"];
    cmd.extend_from_slice(args);
    rules_of(t.cmd(cmd))
}

/// The rules of `check --format json` with `args`.
fn check(l: &Lineage, args: &[&str]) -> Rules {
    let mut cmd = vec!["check", "--format", "json"];
    cmd.extend_from_slice(args);
    rules_of(l.t.cmd(cmd))
}

/// The rules of a run that found something or nothing (exit 0 or 1), with
/// the exit code that follows from their levels.
fn rules_of(out: Outcome) -> Rules {
    let code = out.out.status.code();
    assert!(
        matches!(code, Some(0 | 1)),
        "`commons {}` could not run ({code:?}): {}",
        out.args.join(" "),
        out.stderr()
    );
    let rules: Rules = out
        .rules()
        .iter()
        .map(|n| n.parse().unwrap_or_else(|e| panic!("{e}")))
        .collect();
    let summary = &out.json()["summary"];
    assert_eq!(
        code == Some(1),
        summary["errors"].as_u64().unwrap_or(0) > 0,
        "exit code {code:?} and summary {summary}"
    );
    rules
}

/// Commits every change in the commons, as someone who can push would.
fn commit(t: &Test, message: &str) {
    t.git(&["add", "-A"]);
    t.git(&["commit", "-qm", message]);
}

/// Copies governance version `from` and its signatures as version `to`.
fn replay_version(t: &Test, from: u32, to: u32) {
    let (from, to) = (format!("{from:04}.yaml"), format!("{to:04}.yaml"));
    for e in std::fs::read_dir(t.path("governance")).unwrap() {
        let name = e.unwrap().file_name().to_string_lossy().into_owned();
        if let Some(rest) = name.strip_prefix(&from) {
            std::fs::copy(
                t.path(&format!("governance/{name}")),
                t.path(&format!("governance/{to}{rest}")),
            )
            .unwrap();
        }
    }
}

/// Records a small dataset `lab/notes`.
fn record_notes(t: &Test) {
    t.write("work/notes/notes.txt", "notes\n");
    t.cmd([
        "record",
        "dataset",
        "lab/notes",
        "--license",
        "CC0-1.0",
        "--files",
        "work/notes",
        "--source-local",
        "written by the lab",
    ])
    .success();
}

/// A fine-tune of Llama 3.1 honouring every clause but `overrides`; the
/// rules `check` finds on it.
fn llama31_finetune(l: &Lineage, overrides: &[(&str, Option<&str>)]) -> Rules {
    l.llama31().llama31_finetune("acme/chat", overrides);
    check(l, &["acme/chat"])
}

/// Evaluates a tiny random model in two shards, merges them and signs
/// everything; returns the merged evaluation's id.
#[cfg(feature = "ml")]
fn merged_eval(t: &Test) -> String {
    use crate::tiny::{self, TinyModel};
    std::fs::create_dir_all(t.path("work/lm")).unwrap();
    TinyModel::new(11).write_gguf(&t.path("work/lm/tiny.gguf"), tiny::Q4_1, &[]);
    t.cmd([
        "record",
        "model",
        "lab/lm",
        "--license",
        "Apache-2.0",
        "--files",
        "work/lm",
        "--source-local",
        "random weights",
    ])
    .success();
    let data = crate::support::models::data_dir().join("hellaswag/hellaswag_val_full.txt");
    let mut shards = Vec::new();
    for shard in ["1/2", "2/2"] {
        let out = t
            .cmd([
                "eval",
                "lab/lm",
                "--files",
                "work/lm",
                "--task",
                "hellaswag",
                "--data",
                data.to_str().unwrap(),
                "--limit",
                "4",
                "--shard",
                shard,
                "--log-samples",
                "--format",
                "json",
            ])
            .success()
            .json();
        shards.push(out["id"].as_str().unwrap().to_owned());
    }
    // The shards are unsigned: the merged record is what gets signed.
    let mut merge = vec!["eval", "merge", "--allow-unsigned", "--format", "json"];
    merge.extend(shards.iter().map(String::as_str));
    let merged = t.cmd(merge).success().json();
    t.cmd(["sign", "--all"]).success();
    merged["id"].as_str().unwrap().to_owned()
}
