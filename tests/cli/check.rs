//! `commons check`: license compliance through a lineage.
//!
//! Each scenario builds a lineage with `commons record`, as a user would,
//! and asserts the exact set of (record, rule) pairs that fire.

use std::collections::BTreeSet;

use crate::support::Test;

const REV: &str = "0123456789abcdef0123456789abcdef01234567";
const LLAMA31_NOTICE: &str = "Llama 3.1 is licensed under the Llama 3.1 Community License, Copyright © Meta Platforms, Inc. All Rights Reserved.";
const LLAMA31_AUP: &str = "Llama 3.1 Acceptable Use Policy";
/// A stand-in for the Llama 3.1 text: the fragments its catalog entry
/// identifies it by (the text itself is not the project's to ship).
pub(crate) const LLAMA31_FINGERPRINT: &str =
    "LLAMA 3.1 COMMUNITY LICENSE AGREEMENT\n\n\"Llama Materials\" means ...\n";

/// A license text Debian ships in /usr/share/common-licenses (base-files).
pub(crate) fn common_license(name: &str) -> Option<String> {
    std::fs::read_to_string(format!("/usr/share/common-licenses/{name}")).ok()
}

/// A commons with helpers to record models and datasets.
pub(crate) struct Lineage {
    pub(crate) t: Test,
}

impl Lineage {
    fn new() -> Lineage {
        Lineage {
            t: Test::with_member(),
        }
    }

    /// Records a model; `args` are `record model` flags.
    pub(crate) fn model(&self, id: &str, args: &[&str]) -> &Self {
        self.record("model", id, args)
    }

    pub(crate) fn dataset(&self, id: &str, args: &[&str]) -> &Self {
        self.record("dataset", id, args)
    }

    fn record(&self, kind: &str, id: &str, args: &[&str]) -> &Self {
        let mut cmd = vec!["record", kind, id];
        cmd.extend_from_slice(args);
        if !args.iter().any(|a| a.starts_with("--source")) {
            cmd.extend(["--source-local", "made by the test"]);
        }
        self.t.cmd(cmd).success();
        self
    }

    /// A folder of artifact files holding a LICENSE, for `--files`.
    pub(crate) fn files(&self, name: &str, license_text: &str) -> String {
        let dir = format!("artifacts/{name}");
        self.t.write(&format!("{dir}/LICENSE"), license_text);
        self.t.write(&format!("{dir}/weights.bin"), name.as_bytes());
        dir
    }

    /// The (record, rule) pairs `commons check` reports, and the exit code.
    pub(crate) fn check(&self, args: &[&str]) -> (BTreeSet<(String, String)>, i32) {
        let mut cmd = vec!["check", "--format", "json"];
        cmd.extend_from_slice(args);
        let out = self.t.cmd(cmd);
        let code = out.out.status.code().unwrap();
        assert!(
            code == 0 || code == 1,
            "check could not run: {}\n{}",
            out.stderr(),
            out.stdout()
        );
        let json = out.json();
        let pairs = json["findings"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| {
                (
                    f["id"].as_str().unwrap().to_owned(),
                    f["rule"].as_str().unwrap().to_owned(),
                )
            })
            .collect();
        (pairs, code)
    }

    fn findings(&self, args: &[&str]) -> Vec<serde_json::Value> {
        let mut cmd = vec!["check", "--format", "json"];
        cmd.extend_from_slice(args);
        self.t.cmd(cmd).json()["findings"]
            .as_array()
            .unwrap()
            .clone()
    }

    /// Asserts exactly these (record, rule) pairs fire, and the exit code
    /// that follows from them.
    fn expect(&self, args: &[&str], expected: &[(&str, &str)]) {
        let (got, code) = self.check(args);
        let want: BTreeSet<(String, String)> = expected
            .iter()
            .map(|(a, b)| (a.to_string(), b.to_string()))
            .collect();
        assert_eq!(got, want, "findings of `commons check {}`", args.join(" "));
        let errors = expected.iter().any(|(_, r)| *r != "license-unknown");
        assert_eq!(code, if errors { 1 } else { 0 }, "exit code");
    }

    /// A Llama 3.1 base, as fetched from the Hub.
    pub(crate) fn llama31(&self) -> &Self {
        let src = format!("meta-llama/Llama-3.1-8B@{REV}");
        self.model(
            "meta-llama/Llama-3.1-8B",
            &[
                "--license",
                "LicenseRef-llama3.1",
                "--source-hub",
                &src,
                "--use-restriction",
                LLAMA31_AUP,
            ],
        )
    }

    /// A fine-tune of the Llama 3.1 base honouring every obligation, with
    /// `overrides` replacing the flags of the same name.
    pub(crate) fn llama31_finetune(&self, id: &str, overrides: &[(&str, Option<&str>)]) -> &Self {
        let files = self.files(id.rsplit('/').next().unwrap(), LLAMA31_FINGERPRINT);
        let mut flags: Vec<(&str, Option<String>)> = vec![
            ("--license", Some("LicenseRef-llama3.1".into())),
            (
                "--derived-from",
                Some("meta-llama/Llama-3.1-8B:fine-tune".into()),
            ),
            ("--files", Some(files)),
            ("--license-file", Some("LICENSE".into())),
            ("--notice", Some(LLAMA31_NOTICE.into())),
            ("--display-attribution", Some("Built with Llama".into())),
            ("--published-name", Some("Llama-3.1-Acme-Chat-8B".into())),
            ("--use-restriction", Some(LLAMA31_AUP.into())),
            ("--weights", Some("published".into())),
        ];
        for (flag, value) in overrides {
            match flags.iter_mut().find(|(f, _)| f == flag) {
                Some(slot) => slot.1 = value.map(str::to_owned),
                None => flags.push((flag, value.map(str::to_owned))),
            }
        }
        let mut args: Vec<String> = Vec::new();
        for (flag, value) in flags {
            if let Some(v) = value {
                args.push(flag.to_owned());
                args.push(v);
            }
        }
        let refs: Vec<&str> = args.iter().map(String::as_str).collect();
        self.model(id, &refs)
    }

    /// An Apache-2.0 base model with a NOTICE text.
    pub(crate) fn mistral(&self) -> &Self {
        let src = format!("mistralai/Mistral-7B-v0.1@{REV}");
        self.model(
            "mistralai/Mistral-7B-v0.1",
            &[
                "--license",
                "Apache-2.0",
                "--source-hub",
                &src,
                "--notice",
                "Mistral 7B, Copyright 2023 Mistral AI",
            ],
        )
    }

    /// Flags for an Apache-2.0 fine-tune of the Mistral base that honours
    /// Apache-2.0 (license file and notice).
    pub(crate) fn apache_finetune(&self, name: &str) -> Vec<String> {
        let files = self.files(name, "Apache License\nVersion 2.0, January 2004\n...");
        [
            "--license",
            "Apache-2.0",
            "--derived-from",
            "mistralai/Mistral-7B-v0.1:fine-tune",
            "--files",
            &files,
            "--license-file",
            "LICENSE",
            "--notice",
            "Mistral 7B, Copyright 2023 Mistral AI",
        ]
        .iter()
        .map(|s| s.to_string())
        .collect()
    }
}

fn strs(v: &[String]) -> Vec<&str> {
    v.iter().map(String::as_str).collect()
}

#[test]
fn llama31_finetune_that_honours_every_clause_passes() {
    let l = Lineage::new();
    l.llama31().llama31_finetune("acme/llama-chat", &[]);
    l.expect(&["acme/llama-chat"], &[]);
    l.t.cmd(["check", "acme/llama-chat"])
        .success()
        .stdout_has("0 error(s)");
}

#[test]
fn naming_is_not_fooled_by_look_alike_letters() {
    let l = Lineage::new();
    // Cyrillic "а" (U+0430) in place of the Latin "a".
    l.llama31().llama31_finetune(
        "acme/chat",
        &[("--published-name", Some("Llаma-3.1-Acme-Chat"))],
    );
    l.expect(&["acme/chat"], &[("acme/chat", "naming-prefix")]);
    let f = l.findings(&["acme/chat"]);
    assert!(
        f[0]["message"].as_str().unwrap().contains("U+0430"),
        "{:?}",
        f[0]["message"]
    );
}

#[test]
fn llama3_names_need_the_version() {
    let l = Lineage::new();
    l.model(
        "meta-llama/Meta-Llama-3-8B",
        &["--license", "LicenseRef-llama3"],
    );
    let files = l.files("l3", "META LLAMA 3 COMMUNITY LICENSE AGREEMENT");
    let notice = "Meta Llama 3 is licensed under the Meta Llama 3 Community License, Copyright © Meta Platforms, Inc. All Rights Reserved.";
    let common = [
        "--license",
        "LicenseRef-llama3",
        "--derived-from",
        "meta-llama/Meta-Llama-3-8B:fine-tune",
        "--files",
        &files,
        "--license-file",
        "LICENSE",
        "--notice",
        notice,
        "--display-attribution",
        "Built with Meta Llama 3",
        "--use-restriction",
        "Meta Llama 3 Acceptable Use Policy",
    ];
    let mut good = common.to_vec();
    good.extend(["--published-name", "Llama-3-Acme-8B"]);
    l.model("acme/good", &good);
    let mut bad = common.to_vec();
    bad.extend(["--published-name", "Llama-Acme-8B"]);
    l.model("acme/bad", &bad);
    l.expect(&["acme/good"], &[]);
    l.expect(&["acme/bad"], &[("acme/bad", "naming-prefix")]);
}

#[test]
fn private_experiments_owe_nothing_on_distribution() {
    let l = Lineage::new();
    l.llama31().model(
        "acme/experiment",
        &[
            "--license",
            "LicenseRef-llama3.1",
            "--derived-from",
            "meta-llama/Llama-3.1-8B:adapter",
            "--weights",
            "private",
        ],
    );
    l.expect(&["acme/experiment"], &[]);
}

#[test]
fn served_llama_finetune_still_needs_name_and_display() {
    let l = Lineage::new();
    l.llama31().model(
        "acme/api",
        &[
            "--license",
            "LicenseRef-llama3.1",
            "--derived-from",
            "meta-llama/Llama-3.1-8B:fine-tune",
            "--weights",
            "served",
        ],
    );
    l.expect(
        &["acme/api"],
        &[
            ("acme/api", "naming-prefix"),
            ("acme/api", "display-attribution"),
        ],
    );
}

/// An Apache model fine-tuned on non-commercial instruction data.
pub(crate) fn nc_instructions(l: &Lineage) {
    l.mistral();
    l.dataset(
        "acme/instructions-nc",
        &[
            "--license",
            "CC-BY-NC-4.0",
            "--title",
            "Acme Instructions",
            "--source-url",
            "https://example.org/d",
            "--retrieved",
            "2024-05-01",
        ],
    );
    let mut args = l.apache_finetune("tuned");
    args.extend(
        [
            "--trained-on",
            "acme/instructions-nc",
            "--notice",
            "Trained on Acme Instructions (CC-BY-NC-4.0)",
        ]
        .map(String::from),
    );
    l.model("acme/tuned", &strs(&args));
}

#[test]
fn nc_instruction_data_in_an_apache_model() {
    let l = Lineage::new();
    nc_instructions(&l);
    l.expect(&["acme/tuned"], &[("acme/tuned", "nc-propagation")]);
}

#[test]
fn dataset_binding_switch_on_the_command_line() {
    let l = Lineage::new();
    nc_instructions(&l);
    l.expect(
        &["acme/tuned", "--dataset-licenses-bind-weights", "false"],
        &[],
    );
}

#[test]
fn dataset_binding_switch_in_commons_yaml() {
    let l = Lineage::new();
    nc_instructions(&l);
    l.t.cmd(["policy", "set", "dataset-licenses-bind-weights", "false"])
        .success()
        .stderr_has("Accepted");
    l.expect(&["acme/tuned"], &[]);
    l.expect(
        &["acme/tuned", "--dataset-licenses-bind-weights", "true"],
        &[("acme/tuned", "nc-propagation")],
    );
}

#[test]
fn verbose_says_what_was_checked_and_what_was_skipped() {
    let l = Lineage::new();
    nc_instructions(&l);
    let args = [
        "check",
        "-v",
        "acme/tuned",
        "--dataset-licenses-bind-weights",
        "false",
    ];
    let out = l.t.cmd(args).success();
    let out = out
        .stderr_has("Checked acme/tuned: its license, and the obligations its lineage passes down")
        .stderr_has("Skipped the licenses of training data: they do not bind trained weights")
        .stderr_has("Skipped model cards and license files: give --card DIR to compare one");
    assert!(
        !out.stderr().contains("Checked mistralai"),
        "{}",
        out.stderr()
    );
    l.t.cmd(["check", "-v", "acme/tuned", "--card", "artifacts/tuned"])
        .code(1)
        .stderr_has("Checked acme/tuned: its model card and license files in ./artifacts/tuned");
    let json =
        l.t.cmd(["check", "-v", "acme/tuned", "--format", "json"])
            .code(1);
    assert!(!json.stderr().contains("Checked"), "{}", json.stderr());
}

#[test]
fn nc_data_in_a_nc_model_offered_commercially() {
    let l = Lineage::new();
    l.dataset("acme/nc", &["--license", "CC-BY-NC-4.0"]);
    l.model(
        "acme/m",
        &[
            "--license",
            "CC-BY-NC-4.0",
            "--trained-on",
            "acme/nc",
            "--notice",
            "acme/nc",
            "--commercial",
            "true",
        ],
    );
    l.expect(&["acme/m"], &[("acme/m", "nc-propagation")]);
    l.model(
        "acme/m2",
        &[
            "--license",
            "CC-BY-NC-4.0",
            "--trained-on",
            "acme/nc",
            "--notice",
            "acme/nc",
            "--commercial",
            "false",
        ],
    );
    l.expect(&["acme/m2"], &[]);
}

#[test]
fn uncredited_attribution_data() {
    let l = Lineage::new();
    l.dataset(
        "wiki/corpus",
        &["--license", "CC-BY-4.0", "--title", "Wiki Corpus"],
    );
    l.model(
        "acme/m",
        &["--license", "MIT", "--trained-on", "wiki/corpus"],
    );
    l.expect(&["acme/m"], &[("acme/m", "attribution-missing")]);
    l.model(
        "acme/m2",
        &[
            "--license",
            "MIT",
            "--trained-on",
            "wiki/corpus",
            "--notice",
            "Uses the Wiki Corpus, CC-BY-4.0",
        ],
    );
    l.expect(&["acme/m2"], &[]);
}

#[test]
fn share_alike_data_in_an_mit_model() {
    let l = Lineage::new();
    l.dataset("wiki/sa", &["--license", "CC-BY-SA-4.0"]);
    l.model(
        "acme/m",
        &[
            "--license",
            "MIT",
            "--trained-on",
            "wiki/sa",
            "--notice",
            "data: wiki/sa",
        ],
    );
    l.expect(&["acme/m"], &[("acme/m", "share-alike-violation")]);
    l.model(
        "acme/m2",
        &[
            "--license",
            "CC-BY-SA-4.0",
            "--trained-on",
            "wiki/sa",
            "--notice",
            "data: wiki/sa",
        ],
    );
    l.expect(&["acme/m2"], &[]);
}

#[test]
fn share_alike_offered_with_a_permissive_alternative() {
    let l = Lineage::new();
    l.dataset("wiki/sa", &["--license", "CC-BY-SA-4.0"]);
    // A recipient could take the MIT branch: not share-alike.
    l.model(
        "acme/m",
        &[
            "--license",
            "CC-BY-SA-4.0 OR MIT",
            "--trained-on",
            "wiki/sa",
            "--notice",
            "data: wiki/sa",
        ],
    );
    l.expect(&["acme/m"], &[("acme/m", "share-alike-violation")]);
    // AND: every recipient is bound by BY-SA.
    l.model(
        "acme/m2",
        &[
            "--license",
            "CC-BY-SA-4.0 AND MIT",
            "--trained-on",
            "wiki/sa",
            "--notice",
            "data: wiki/sa",
        ],
    );
    l.expect(&["acme/m2"], &[]);
}

#[test]
fn by_sa_data_may_flow_into_gpl3_one_way() {
    let l = Lineage::new();
    l.dataset("wiki/sa", &["--license", "CC-BY-SA-4.0"]);
    let files = l.files("gpl", "GNU GENERAL PUBLIC LICENSE\nVersion 3, 29 June 2007");
    l.model(
        "acme/gpl",
        &[
            "--license",
            "GPL-3.0-only",
            "--trained-on",
            "wiki/sa",
            "--notice",
            "data: wiki/sa",
            "--files",
            &files,
            "--license-file",
            "LICENSE",
        ],
    );
    l.expect(&["acme/gpl"], &[]);
}

#[test]
fn odbl_binds_derived_databases_not_trained_models() {
    let l = Lineage::new();
    l.dataset("osm/extract", &["--license", "ODbL-1.0"]);
    l.model(
        "acme/geo",
        &[
            "--license",
            "Apache-2.0",
            "--trained-on",
            "osm/extract",
            "--notice",
            "Contains data from osm/extract",
        ],
    );
    l.expect(&["acme/geo"], &[]);
    l.dataset(
        "acme/cleaned",
        &[
            "--license",
            "CC-BY-4.0",
            "--upstream",
            "osm/extract",
            "--notice",
            "Contains data from osm/extract",
        ],
    );
    l.expect(
        &["acme/cleaned"],
        &[
            ("acme/cleaned", "share-alike-violation"),
            ("acme/cleaned", "license-copy-missing"),
        ],
    );
}

#[test]
fn rail_merge_must_carry_both_parents_restrictions() {
    let l = Lineage::new();
    l.model(
        "bigscience/bloom-a",
        &[
            "--license",
            "LicenseRef-bigscience-openrail-m",
            "--use-restriction",
            "No medical advice",
        ],
    );
    l.model(
        "bigscience/bloom-b",
        &[
            "--license",
            "LicenseRef-bigscience-openrail-m",
            "--use-restriction",
            "No surveillance",
        ],
    );
    let files = l.files("merge", "BigScience Open RAIL-M License");
    let base = [
        "--license",
        "LicenseRef-bigscience-openrail-m",
        "--derived-from",
        "bigscience/bloom-a:merge",
        "--derived-from",
        "bigscience/bloom-b:merge",
        "--files",
        &files,
        "--license-file",
        "LICENSE",
        "--use-restriction",
        "BigScience OpenRAIL-M Attachment A",
        "--use-restriction",
        "No medical advice",
    ];
    l.model("acme/merge", &base);
    l.expect(
        &["acme/merge"],
        &[("acme/merge", "use-restrictions-dropped")],
    );
    let mut full = base.to_vec();
    full.extend(["--use-restriction", "No surveillance"]);
    l.model("acme/merge2", &full);
    l.expect(&["acme/merge2"], &[]);
}

#[test]
fn or_lets_a_derivative_pick_the_branch_it_honours() {
    let l = Lineage::new();
    l.dataset(
        "dual/data",
        &[
            "--license",
            "MIT OR CC-BY-NC-4.0",
            "--notice",
            "Copyright 2024 Dual",
        ],
    );
    let files = l.files(
        "m",
        "Permission is hereby granted, free of charge, to any person obtaining a copy",
    );
    l.model(
        "acme/m",
        &[
            "--license",
            "Apache-2.0",
            "--commercial",
            "true",
            "--trained-on",
            "dual/data",
            "--notice",
            "Copyright 2024 Dual",
            "--files",
            &files,
            "--license-file",
            "LICENSE",
        ],
    );
    l.expect(&["acme/m"], &[]);
}

#[test]
fn and_binds_tighter_than_or_upstream() {
    let l = Lineage::new();
    // (Apache-2.0 AND CC-BY-NC-4.0) OR MIT: the MIT branch is free.
    l.dataset(
        "a/data",
        &[
            "--license",
            "Apache-2.0 AND CC-BY-NC-4.0 OR MIT",
            "--notice",
            "Copyright A",
        ],
    );
    // (Apache-2.0 OR MIT) AND CC-BY-NC-4.0: NC whichever is chosen.
    l.dataset(
        "b/data",
        &[
            "--license",
            "(Apache-2.0 OR MIT) AND CC-BY-NC-4.0",
            "--notice",
            "Copyright B",
        ],
    );
    let files = l.files("m", "Apache License\nVersion 2.0, January 2004");
    let model = |id: &str, data: &str, notice: &str| {
        l.model(
            id,
            &[
                "--license",
                "Apache-2.0",
                "--trained-on",
                data,
                "--notice",
                notice,
                "--files",
                &files,
                "--license-file",
                "LICENSE",
            ],
        );
    };
    model("acme/on-a", "a/data", "Copyright A");
    model("acme/on-b", "b/data", "Copyright B");
    l.expect(&["acme/on-a"], &[]);
    l.expect(&["acme/on-b"], &[("acme/on-b", "nc-propagation")]);
}

#[test]
fn three_level_chain_reports_the_whole_chain() {
    let l = Lineage::new();
    l.mistral();
    // A private fine-tune owes nothing; its published quantization owes the
    // base model's NOTICE.
    l.model(
        "acme/tuned",
        &[
            "--license",
            "Apache-2.0",
            "--derived-from",
            "mistralai/Mistral-7B-v0.1:fine-tune",
            "--weights",
            "private",
        ],
    );
    let files = l.files("gguf", "Apache License\nVersion 2.0, January 2004");
    l.model(
        "acme/tuned-gguf",
        &[
            "--license",
            "Apache-2.0",
            "--derived-from",
            "acme/tuned:quantization",
            "--files",
            &files,
            "--license-file",
            "LICENSE",
        ],
    );
    l.expect(
        &["acme/tuned-gguf"],
        &[("acme/tuned-gguf", "notice-missing")],
    );
    let f = l.findings(&["acme/tuned-gguf"]);
    let chain: Vec<&str> = f[0]["chain"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c.as_str().unwrap())
        .collect();
    assert_eq!(
        chain,
        [
            "acme/tuned-gguf",
            "quantization: acme/tuned",
            "fine-tune: mistralai/Mistral-7B-v0.1"
        ]
    );
    assert!(
        f[0]["fix"]
            .as_str()
            .unwrap()
            .contains("--notice \"Mistral 7B, Copyright 2023 Mistral AI\"")
    );
}

#[test]
fn checking_a_model_checks_its_whole_lineage() {
    let l = Lineage::new();
    l.llama31()
        .llama31_finetune("acme/renamed", &[("--published-name", Some("Acme-8B"))]);
    let files = l.files("q", "LLAMA 3.1 COMMUNITY LICENSE AGREEMENT");
    l.model(
        "acme/renamed-q4",
        &[
            "--license",
            "LicenseRef-llama3.1",
            "--derived-from",
            "acme/renamed:quantization",
            "--files",
            &files,
            "--license-file",
            "LICENSE",
            "--notice",
            LLAMA31_NOTICE,
            "--display-attribution",
            "Built with Llama",
            "--published-name",
            "Llama-3.1-Acme-8B-Q4",
            "--use-restriction",
            LLAMA31_AUP,
        ],
    );
    l.expect(&["acme/renamed-q4"], &[("acme/renamed", "naming-prefix")]);
}

/// A dataset generated by `generator`, and an Apache model trained on it.
pub(crate) fn synthetic(l: &Lineage, generator: &str, name: &str) {
    l.mistral();
    l.dataset(
        "acme/synthetic",
        &["--license", "Apache-2.0", "--generated-by", generator],
    );
    let mut args = l.apache_finetune("student");
    args.extend(["--trained-on", "acme/synthetic", "--published-name", name].map(String::from));
    l.model("acme/student", &strs(&args));
}

#[test]
fn synthetic_data_from_llama2_breaks_the_competing_model_clause() {
    let l = Lineage::new();
    l.model(
        "meta-llama/Llama-2-70b-chat-hf",
        &["--license", "LicenseRef-llama2"],
    );
    synthetic(&l, "meta-llama/Llama-2-70b-chat-hf", "Acme-Student");
    l.expect(
        &["acme/student", "--distillation-is-derivative", "false"],
        &[("acme/student", "competing-model-clause")],
    );
    // As a derivative, it also owes Llama 2's distribution terms.
    l.expect(
        &["acme/student"],
        &[
            ("acme/student", "competing-model-clause"),
            ("acme/student", "outbound-incompatible"),
            ("acme/student", "notice-missing"),
            ("acme/student", "use-restrictions-dropped"),
        ],
    );
}

#[test]
fn llama31_outputs_carry_the_naming_rule_whatever_the_switch() {
    let l = Lineage::new();
    l.llama31();
    synthetic(&l, "meta-llama/Llama-3.1-8B", "Acme-Student");
    l.expect(
        &["acme/student", "--distillation-is-derivative", "false"],
        &[("acme/student", "naming-prefix")],
    );
}

#[test]
fn gemma_terms_bind_distilled_models_whatever_the_switch() {
    let l = Lineage::new();
    l.model("google/gemma-2-9b", &["--license", "LicenseRef-gemma"]);
    let files = l.files("student", "Apache License\nVersion 2.0, January 2004");
    l.model(
        "acme/student",
        &[
            "--license",
            "Apache-2.0",
            "--derived-from",
            "google/gemma-2-9b:distillation",
            "--files",
            &files,
            "--license-file",
            "LICENSE",
        ],
    );
    // Gemma 1.1(e) counts distillation as making a Model Derivative, so the
    // switch has nothing to decide; and 3.1 lets a derivative take terms of
    // its own (Apache-2.0 here) as long as the use restrictions go with it.
    let owed = [
        ("acme/student", "notice-missing"),
        ("acme/student", "use-restrictions-dropped"),
    ];
    l.expect(
        &["acme/student", "--distillation-is-derivative", "false"],
        &owed,
    );
    l.expect(&["acme/student"], &owed);
}

#[test]
fn llama2_outputs_may_improve_llama2_derivatives() {
    let l = Lineage::new();
    l.model("meta-llama/Llama-2-7b", &["--license", "LicenseRef-llama2"]);
    l.dataset(
        "acme/synthetic",
        &[
            "--license",
            "LicenseRef-llama2",
            "--generated-by",
            "meta-llama/Llama-2-7b",
        ],
    );
    l.model(
        "acme/llama2-tuned",
        &[
            "--license",
            "LicenseRef-llama2",
            "--derived-from",
            "meta-llama/Llama-2-7b:fine-tune",
            "--trained-on",
            "acme/synthetic",
            "--weights",
            "private",
        ],
    );
    l.expect(&["acme/llama2-tuned"], &[]);
}

#[test]
fn mistral_research_model_offered_commercially() {
    let l = Lineage::new();
    l.model(
        "mistralai/Codestral-22B",
        &["--license", "LicenseRef-mistral-research"],
    );
    let files = l.files("code", "Mistral AI Research License");
    let args = [
        "--license",
        "LicenseRef-mistral-research",
        "--derived-from",
        "mistralai/Codestral-22B:fine-tune",
        "--files",
        &files,
        "--license-file",
        "LICENSE",
    ];
    let notice = [
        "--notice",
        "Licensed by Mistral AI under the Mistral AI Research License",
    ];
    let mut commercial = args.to_vec();
    commercial.extend(notice);
    commercial.extend(["--commercial", "true"]);
    l.model("acme/code", &commercial);
    l.expect(&["acme/code"], &[("acme/code", "research-only")]);
    let mut research = args.to_vec();
    research.extend(notice);
    l.model("acme/code-research", &research);
    l.expect(&["acme/code-research"], &[]);
    // Clause 2.2: every copy carries Mistral's notice.
    l.model("acme/code-bare", &args);
    l.expect(&["acme/code-bare"], &[("acme/code-bare", "notice-missing")]);
}

#[test]
fn qwen_research_model_used_commercially_needs_permission() {
    let l = Lineage::new();
    l.model(
        "Qwen/Qwen2.5-3B",
        &["--license", "LicenseRef-qwen-research"],
    );
    let files = l.files("q", "Qwen RESEARCH LICENSE AGREEMENT");
    let qwen = |extra: &[&str]| {
        let mut args = vec![
            "--force",
            "--license",
            "LicenseRef-qwen-research",
            "--derived-from",
            "Qwen/Qwen2.5-3B:fine-tune",
            "--files",
            &files,
            "--license-file",
            "LICENSE",
            "--display-attribution",
            "Built with Qwen",
            "--commercial",
            "true",
        ];
        args.extend_from_slice(extra);
        l.model("acme/qwen-tuned", &args);
    };
    qwen(&[]);
    l.expect(
        &["acme/qwen-tuned"],
        &[("acme/qwen-tuned", "permission-required")],
    );
    // Once the permission is obtained and recorded, the rule is satisfied;
    // a permission under another license, or for another act, is not it.
    qwen(&[
        "--obtained",
        "LicenseRef-qwen-research:hosting:letter from Alibaba Cloud, 2026-03-01",
    ]);
    l.expect(
        &["acme/qwen-tuned"],
        &[("acme/qwen-tuned", "permission-required")],
    );
    qwen(&[
        "--obtained",
        "LicenseRef-qwen-research:commercial:letter from Alibaba Cloud, 2026-03-01",
    ]);
    assert!(
        l.t.read("manifests/models/acme/qwen-tuned.yaml")
            .contains("evidence: letter from Alibaba Cloud, 2026-03-01")
    );
    l.expect(&["acme/qwen-tuned"], &[]);
    l.t.cmd([
        "record",
        "model",
        "acme/q2",
        "--license",
        "MIT",
        "--source-local",
        "x",
        "--obtained",
        "LicenseRef-qwen-research:lunch:a letter",
    ])
    .code(2)
    .stderr_has("`lunch` is not what a permission is for");
}

#[test]
fn falcon_180b_served_needs_a_hosting_license() {
    let l = Lineage::new();
    l.model(
        "tiiuae/falcon-180B",
        &["--license", "LicenseRef-falcon-180b-tii"],
    );
    l.model(
        "acme/falcon-api",
        &[
            "--license",
            "LicenseRef-falcon-180b-tii",
            "--derived-from",
            "tiiuae/falcon-180B:fine-tune",
            "--weights",
            "served",
            "--use-restriction",
            "Falcon 180B Acceptable Use Policy",
        ],
    );
    l.expect(&["acme/falcon-api"], &[("acme/falcon-api", "hosting-use")]);
    l.model(
        "acme/falcon-api",
        &[
            "--force",
            "--license",
            "LicenseRef-falcon-180b-tii",
            "--derived-from",
            "tiiuae/falcon-180B:fine-tune",
            "--weights",
            "served",
            "--use-restriction",
            "Falcon 180B Acceptable Use Policy",
            "--obtained",
            "LicenseRef-falcon-180b-tii:hosting:TII hosting license no. 42",
        ],
    );
    l.expect(&["acme/falcon-api"], &[]);
}

const RECIPROCAL: &str = "LicenseRef-Commons-Reciprocal-1.0";

/// `coop/base` under the commons' reciprocal license, and `acme/derived`, a
/// fine-tune that ships the license and credits the base but records no
/// training data and gives no evaluation back. Returns its files' folder.
pub(crate) fn reciprocal_derivative(l: &Lineage) -> String {
    l.model(
        "coop/base",
        &["--license", RECIPROCAL, "--title", "Coop Base"],
    );
    let files = l.files("d", "Commons Reciprocal License\nVersion 1.0");
    l.model(
        "acme/derived",
        &[
            "--license",
            RECIPROCAL,
            "--derived-from",
            "coop/base:fine-tune",
            "--files",
            &files,
            "--license-file",
            "LICENSE",
            "--notice",
            "Built on Coop Base",
        ],
    );
    files
}

#[test]
fn commons_reciprocal_derivatives_give_back() {
    let l = Lineage::new();
    let lic = RECIPROCAL;
    let files = reciprocal_derivative(&l);
    l.dataset("acme/notes", &["--license", "CC0-1.0"]);
    l.expect(
        &["acme/derived"],
        &[
            ("acme/derived", "reciprocity-report"),
            ("acme/derived", "missing-provenance"),
        ],
    );
    l.model(
        "acme/derived2",
        &[
            "--license",
            lic,
            "--derived-from",
            "coop/base:fine-tune",
            "--trained-on",
            "acme/notes",
            "--files",
            &files,
            "--license-file",
            "LICENSE",
            "--notice",
            "Built on Coop Base",
        ],
    );
    let digest = crate::support::sha256_hex(
        &std::fs::read(l.t.path("manifests/models/acme/derived2.yaml")).unwrap(),
    );
    l.t.write(
        "manifests/evals/acme/derived2/hellaswag-1.yaml",
        format!(
            "schema: commons/v1\nkind: eval\nid: acme/derived2/hellaswag-1\neval:\n  model:\n    id: acme/derived2\n    digest: {digest}\n  task: hellaswag\n  metrics:\n    acc:\n      value: 0.5\n  engine: commons\n  engine_version: 0.1.0\n"
        ),
    );
    l.expect(&["acme/derived2"], &[]);
    l.model(
        "acme/relicensed",
        &[
            "--license",
            "MIT",
            "--derived-from",
            "acme/derived2:quantization",
            "--notice",
            "Built on Coop Base",
        ],
    );
    l.expect(
        &["acme/relicensed"],
        &[
            ("acme/relicensed", "share-alike-violation"),
            ("acme/relicensed", "license-copy-missing"),
            ("acme/relicensed", "reciprocity-report"),
        ],
    );
}

#[test]
fn unknown_upstream_license_then_taught_to_the_catalog() {
    let l = Lineage::new();
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
    l.expect(
        &["acme/tuned"],
        &[
            ("acme/base", "license-unknown"),
            ("acme/tuned", "upstream-license-unknown"),
            ("acme/tuned", "license-unknown"),
        ],
    );
    l.t.write(
        "licenses/acme-community.yaml",
        "id: LicenseRef-acme-community\nname: Acme Community License\nobligations:\n  display_attribution: { clause: \"3\", text: [\"Powered by Acme\"] }\n",
    );
    l.t.write("licenses/README.txt", "not a license");
    l.expect(&["acme/tuned"], &[("acme/tuned", "display-attribution")]);
}

#[test]
fn a_missing_upstream_record_is_missing_provenance() {
    let l = Lineage::new();
    l.model("acme/base", &["--license", "MIT"]);
    l.model(
        "acme/tuned",
        &[
            "--license",
            "MIT",
            "--derived-from",
            "acme/base:fine-tune",
            "--weights",
            "private",
        ],
    );
    std::fs::remove_file(l.t.path("manifests/models/acme/base.yaml")).unwrap();
    l.expect(&["acme/tuned"], &[("acme/tuned", "missing-provenance")]);
}

/// `acme/base` and its fine-tune `acme/tuned`, both signed by alice, and an
/// unrelated `other/nc` whose own finding must survive a stale pin elsewhere.
fn pinned_lineage() -> Lineage {
    let l = Lineage::new();
    l.model("acme/base", &["--license", "MIT"]);
    l.model(
        "acme/tuned",
        &[
            "--license",
            "MIT",
            "--derived-from",
            "acme/base:fine-tune",
            "--weights",
            "private",
        ],
    );
    l.model("other/nc", &["--license", "LicenseRef-unknown-to-all"]);
    l.t.cmd(["sign", "--all"]).success();
    l
}

fn pin_findings(l: &Lineage, args: &[&str]) -> Vec<serde_json::Value> {
    l.findings(args)
        .into_iter()
        .filter(|f| f["rule"] == "reference-digest-mismatch")
        .collect()
}

#[test]
fn a_changed_upstream_is_a_finding_with_its_chain() {
    let l = pinned_lineage();
    let path = "manifests/models/acme/base.yaml";
    let text =
        l.t.read(path)
            .replace("expression: MIT", "expression: CC-BY-NC-4.0");
    l.t.write(path, text);
    for args in [&["acme/tuned"][..], &[][..]] {
        let (pairs, code) = l.check(args);
        assert_eq!(code, 1, "{args:?}");
        assert!(
            pairs.contains(&("acme/tuned".into(), "reference-digest-mismatch".into())),
            "{pairs:?}"
        );
        let pins = pin_findings(&l, args);
        assert_eq!(pins.len(), 1, "{pins:?}");
        let f = &pins[0];
        assert_eq!(f["field"], "model.derived_from[0]");
        assert_eq!(f["chain"], serde_json::json!(["acme/tuned", "acme/base"]));
        assert!(f["message"].as_str().unwrap().contains("changed"), "{f}");
        assert!(
            f["fix"]
                .as_str()
                .unwrap()
                .contains("commons repin acme/tuned"),
            "{f}"
        );
    }
    // Other records are still checked.
    let (pairs, _) = l.check(&[]);
    assert!(
        pairs.contains(&("other/nc".into(), "license-unknown".into())),
        "{pairs:?}"
    );
    l.t.cmd(["check", "acme/tuned"])
        .code(1)
        .stdout_has("reference-digest-mismatch")
        .stdout_has("acme/tuned -> acme/base");
    let sarif = l.t.cmd(["check", "--format", "sarif"]).code(1).json();
    let results = sarif["runs"][0]["results"].as_array().unwrap();
    assert!(
        results
            .iter()
            .any(|r| r["ruleId"] == "reference-digest-mismatch"),
        "{sarif}"
    );
}

#[test]
fn a_pin_that_never_matched_is_not_called_a_change() {
    let l = pinned_lineage();
    let path = "manifests/models/acme/tuned.yaml";
    let base_digest =
        crate::support::sha256_hex(l.t.read("manifests/models/acme/base.yaml").as_bytes());
    let text = l.t.read(path).replace(&base_digest, &"ab".repeat(32));
    l.t.write(path, text);
    let pins = pin_findings(&l, &["acme/tuned"]);
    assert_eq!(pins.len(), 1, "{pins:?}");
    let message = pins[0]["message"].as_str().unwrap();
    assert!(!message.contains("changed"), "{message}");
    assert!(message.contains("never"), "{message}");
}

#[test]
fn repin_pins_the_current_upstream_and_names_the_signatures_it_invalidates() {
    let l = pinned_lineage();
    let base = "manifests/models/acme/base.yaml";
    l.t.write(
        base,
        l.t.read(base)
            .replace("expression: MIT", "expression: Apache-2.0"),
    );
    l.t.cmd(["sign", "acme/base"]).success();
    let tuned = "manifests/models/acme/tuned.yaml";
    let before = l.t.read(tuned);

    l.t.cmd(["repin", "acme/tuned", "--dry-run"])
        .success()
        .stdout_has("model.derived_from[0]");
    assert_eq!(l.t.read(tuned), before, "--dry-run writes nothing");

    l.t.cmd(["repin", "acme/tuned"])
        .success()
        .stdout_has("acme/base")
        .stderr_has("alice");
    let new_base = crate::support::sha256_hex(l.t.read(base).as_bytes());
    let after = l.t.read(tuned);
    assert!(after.contains(&new_base), "{after}");
    let old_base = before
        .lines()
        .find_map(|line| line.trim().strip_prefix("digest: "))
        .unwrap()
        .to_owned();
    assert_eq!(
        after,
        before.replace(&old_base, &new_base),
        "nothing else changes"
    );
    assert!(
        l.t.git_log()[0].starts_with("Re-pin acme/tuned"),
        "{:?}",
        l.t.git_log()
    );
    assert!(l.t.git_dirty().is_empty(), "{:?}", l.t.git_dirty());
    assert!(pin_findings(&l, &["acme/tuned"]).is_empty());
    let verify =
        l.t.cmd(["verify", "acme/tuned", "--format", "json"])
            .code(1);
    assert!(
        verify.rules().contains(&"signature-stale".to_owned()),
        "{:?}",
        verify.rules()
    );

    l.t.cmd(["repin", "acme/tuned"])
        .success()
        .stderr_has("up to date");
    l.t.cmd(["repin", "acme/nope"])
        .code(2)
        .stderr_has("acme/nope");
}

#[test]
fn a_lineage_cycle_is_an_error_not_a_hang() {
    let l = Lineage::new();
    for (me, other) in [("a", "b"), ("b", "a")] {
        l.t.write(
            &format!("manifests/models/loop/{me}.yaml"),
            format!(
                "schema: commons/v1\nkind: model\nid: loop/{me}\nlicense:\n  expression: MIT\nmodel:\n  derived_from:\n  - id: loop/{other}\n    relation: fine-tune\n"
            ),
        );
    }
    l.t.cmd(["check", "loop/a"])
        .code(2)
        .stderr_has("cycle")
        .stderr_has("loop/a -> loop/b -> loop/a");
}

#[test]
fn card_and_license_file_drift() {
    let l = Lineage::new();
    l.llama31();
    l.t.write("art/README.md", "---\nlicense: llama3.1\n---\n# Llama\n");
    l.t.write("art/LICENSE", LLAMA31_FINGERPRINT);
    l.expect(&["meta-llama/Llama-3.1-8B", "--card", "art"], &[]);
    l.t.write("art/README.md", "---\nlicense: apache-2.0\n---\n# Llama\n");
    let Some(apache) = common_license("Apache-2.0") else {
        return;
    };
    l.t.write("art/LICENSE", apache);
    l.expect(
        &["meta-llama/Llama-3.1-8B", "--card", "art"],
        &[
            ("meta-llama/Llama-3.1-8B", "card-license-drift"),
            ("meta-llama/Llama-3.1-8B", "license-file-drift"),
        ],
    );
}

#[test]
fn accepted_licenses_policy() {
    let l = Lineage::new();
    l.model("acme/a", &["--license", "MIT"]);
    l.model("acme/b", &["--license", "CC-BY-NC-4.0 OR MIT"]);
    l.model("acme/c", &["--license", "CC-BY-NC-4.0"]);
    l.t.cmd(["policy", "set", "accepted-licenses", "MIT,Apache-2.0"])
        .success()
        .stderr_has("Accepted");
    l.expect(&[], &[("acme/c", "license-not-accepted")]);
}

#[test]
fn waivers_in_the_governed_policy_and_levels_on_the_command_line() {
    let l = Lineage::new();
    l.model("acme/c", &["--license", "CC-BY-NC-4.0"]);
    l.t.cmd(["policy", "set", "accepted-licenses", "MIT"])
        .success();
    l.t.cmd(["check"]).code(1);
    // A waiver is a governance change, signed like any other.
    l.t.cmd([
        "policy",
        "waive",
        "license-not-accepted",
        "acme/c",
        "--reason",
        "kept for research comparisons",
    ])
    .success()
    .stderr_has("Accepted");
    l.t.cmd(["check"])
        .success()
        .stdout_has(
            "waived: policy.exceptions[0]: kept for research comparisons (approved by alice)",
        )
        .stdout_has("waived: 1");
    let sarif = l.t.cmd(["check", "--format", "sarif"]).success().json();
    crate::support::assert_github_sarif(&sarif);
    assert_eq!(
        sarif["runs"][0]["results"][0]["suppressions"][0]["kind"],
        "external"
    );
    // --deny makes it count again for this run; --allow waives a rule.
    l.t.cmd(["check", "--deny", "license-not-accepted"]).code(1);
    l.t.cmd(["policy", "unwaive", "license-not-accepted", "acme/c"])
        .success();
    l.t.cmd(["check", "--allow", "license-not-accepted"])
        .success()
        .stdout_has("allowed on the command line");
    l.t.cmd(["check", "--warn", "license-not-accepted"])
        .success();
    l.t.cmd(["check", "--warn", "license-not-accepted", "--strict"])
        .code(1);
    // An expired waiver is a finding of its own.
    l.t.cmd([
        "policy",
        "waive",
        "license-not-accepted",
        "acme/c",
        "--reason",
        "until the relicensing",
        "--expires",
        "2020-01-01",
    ])
    .success();
    let out = l.t.cmd(["check", "--format", "json"]).code(1);
    let rules: Vec<String> = out.json()["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["rule"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(rules, ["license-not-accepted", "waiver-expired"]);
    l.t.cmd([
        "policy",
        "waive",
        "nc-propagation",
        "y",
        "--reason",
        "r",
        "--expires",
        "soon",
    ])
    .code(2)
    .stderr_has("not a date");
}

#[test]
fn formats_human_and_sarif() {
    let l = Lineage::new();
    l.llama31()
        .llama31_finetune("acme/chat", &[("--published-name", Some("Acme-Chat"))]);
    l.t.cmd(["check", "acme/chat"])
        .code(1)
        .stdout_has("error[naming-prefix]: manifests/models/acme/chat.yaml")
        .stdout_has("chain: acme/chat -> fine-tune: meta-llama/Llama-3.1-8B")
        .stdout_has("fix:");
    let sarif =
        l.t.cmd(["check", "acme/chat", "--format", "sarif"])
            .code(1)
            .json();
    // verify and check upload under their own categories.
    assert_eq!(
        crate::support::assert_github_sarif(&sarif),
        "commons/check/"
    );
    let results = sarif["runs"][0]["results"].as_array().unwrap();
    assert_eq!(results.len(), 1);
    assert_eq!(results[0]["ruleId"], "naming-prefix");
    assert_eq!(
        results[0]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
        "manifests/models/acme/chat.yaml"
    );
    let rules = sarif["runs"][0]["tool"]["driver"]["rules"]
        .as_array()
        .unwrap();
    assert!(rules.iter().any(|r| r["id"] == "competing-model-clause"));
    // GitLab's code-quality report of the same findings.
    let gitlab =
        l.t.cmd(["check", "acme/chat", "--format", "gitlab"])
            .code(1)
            .json();
    let issues = gitlab.as_array().expect("a JSON array of issues");
    assert_eq!(issues.len(), 1);
    let issue = &issues[0];
    assert_eq!(issue["check_name"], "commons-check/naming-prefix");
    assert_eq!(issue["severity"], "major");
    assert_eq!(issue["location"]["path"], "manifests/models/acme/chat.yaml");
    assert!(issue["location"]["lines"]["begin"].as_u64().unwrap() >= 1);
    assert_eq!(issue["fingerprint"].as_str().unwrap().len(), 64);
    assert!(issue["description"].as_str().unwrap().contains("fix:"));
}

#[test]
fn unknown_subject_is_a_usage_error() {
    let l = Lineage::new();
    l.t.cmd(["check", "nobody/nothing"])
        .code(2)
        .stderr_has("nobody/nothing");
    l.t.cmd(["check", "--card", "x"])
        .code(2)
        .stderr_has("exactly one");
}

/// How a catalog row's upstream reaches the derivative checked.
#[derive(Clone, Copy)]
enum Via {
    /// A fine-tune of a model under the license.
    FineTune,
    /// A model trained on a dataset under the license.
    TrainedOn,
    /// A model trained on data a model under the license generated.
    Outputs,
}

/// Every catalog entry, and the exact rules it sets off for a derivative
/// that honours nothing: Apache-2.0, offered commercially, published under
/// a name of its own, with no license file, notice, display or use
/// restriction.
const CATALOG: &[(&str, Via, &[&str])] = &[
    (
        "AGPL-3.0-only",
        Via::FineTune,
        &["license-copy-missing", "share-alike-violation"],
    ),
    ("Apache-2.0", Via::FineTune, &["license-copy-missing"]),
    ("BSD-3-Clause", Via::FineTune, &["license-copy-missing"]),
    ("CC-BY-4.0", Via::TrainedOn, &["attribution-missing"]),
    (
        "CC-BY-NC-4.0",
        Via::TrainedOn,
        &["attribution-missing", "nc-propagation"],
    ),
    (
        "CC-BY-NC-ND-4.0",
        Via::TrainedOn,
        &[
            "attribution-missing",
            "nc-propagation",
            "permission-required",
        ],
    ),
    (
        "CC-BY-NC-SA-4.0",
        Via::TrainedOn,
        &[
            "attribution-missing",
            "nc-propagation",
            "share-alike-violation",
        ],
    ),
    (
        "CC-BY-SA-3.0",
        Via::TrainedOn,
        &["attribution-missing", "share-alike-violation"],
    ),
    (
        "CC-BY-SA-4.0",
        Via::TrainedOn,
        &["attribution-missing", "share-alike-violation"],
    ),
    ("CC0-1.0", Via::TrainedOn, &[]),
    ("CDLA-Permissive-1.0", Via::TrainedOn, &[]),
    ("CDLA-Permissive-2.0", Via::TrainedOn, &[]),
    ("CDLA-Sharing-1.0", Via::TrainedOn, &[]),
    (
        "GPL-2.0-only",
        Via::FineTune,
        &["license-copy-missing", "share-alike-violation"],
    ),
    (
        "GPL-2.0-or-later",
        Via::FineTune,
        &["license-copy-missing", "share-alike-violation"],
    ),
    (
        "GPL-3.0-only",
        Via::FineTune,
        &["license-copy-missing", "share-alike-violation"],
    ),
    (
        "LicenseRef-Commons-Reciprocal-1.0",
        Via::FineTune,
        &[
            "attribution-missing",
            "license-copy-missing",
            "missing-provenance",
            "reciprocity-report",
            "share-alike-violation",
        ],
    ),
    (
        "LicenseRef-ai2-impact-hr",
        Via::TrainedOn,
        &[
            "license-copy-missing",
            "permission-required",
            "use-restrictions-dropped",
        ],
    ),
    (
        "LicenseRef-ai2-impact-lr",
        Via::TrainedOn,
        &["license-copy-missing", "use-restrictions-dropped"],
    ),
    (
        "LicenseRef-ai2-impact-mr",
        Via::TrainedOn,
        &["license-copy-missing", "use-restrictions-dropped"],
    ),
    (
        "LicenseRef-anthropic-terms",
        Via::Outputs,
        &["generator-terms"],
    ),
    (
        "LicenseRef-bigcode-openrail-m",
        Via::Outputs,
        &["license-copy-missing", "use-restrictions-dropped"],
    ),
    (
        "LicenseRef-bigscience-bloom-rail-1.0",
        Via::FineTune,
        &["license-copy-missing", "use-restrictions-dropped"],
    ),
    (
        "LicenseRef-bigscience-openrail-m",
        Via::FineTune,
        &["license-copy-missing", "use-restrictions-dropped"],
    ),
    (
        "LicenseRef-creativeml-openrail-m",
        Via::FineTune,
        &["license-copy-missing", "use-restrictions-dropped"],
    ),
    (
        "LicenseRef-deepseek",
        Via::Outputs,
        &["license-copy-missing", "use-restrictions-dropped"],
    ),
    (
        "LicenseRef-falcon-180b-tii",
        Via::FineTune,
        &["license-copy-missing", "use-restrictions-dropped"],
    ),
    (
        "LicenseRef-falcon-llm",
        Via::FineTune,
        &[
            "display-attribution",
            "license-copy-missing",
            "use-restrictions-dropped",
        ],
    ),
    (
        "LicenseRef-gemini-api-terms",
        Via::Outputs,
        &["generator-terms"],
    ),
    (
        "LicenseRef-gemma",
        Via::Outputs,
        &[
            "license-copy-missing",
            "notice-missing",
            "use-restrictions-dropped",
        ],
    ),
    (
        "LicenseRef-kaitiakitanga",
        Via::TrainedOn,
        &[
            "attribution-missing",
            "nc-propagation",
            "permission-required",
        ],
    ),
    (
        "LicenseRef-llama2",
        Via::Outputs,
        &[
            "competing-model-clause",
            "license-copy-missing",
            "notice-missing",
            "outbound-incompatible",
            "use-restrictions-dropped",
        ],
    ),
    (
        "LicenseRef-llama3",
        Via::FineTune,
        &[
            "display-attribution",
            "license-copy-missing",
            "naming-prefix",
            "notice-missing",
            "outbound-incompatible",
            "use-restrictions-dropped",
        ],
    ),
    (
        "LicenseRef-llama3.1",
        Via::Outputs,
        &[
            "display-attribution",
            "license-copy-missing",
            "naming-prefix",
            "notice-missing",
            "outbound-incompatible",
            "use-restrictions-dropped",
        ],
    ),
    (
        "LicenseRef-llama3.2",
        Via::FineTune,
        &[
            "display-attribution",
            "license-copy-missing",
            "naming-prefix",
            "notice-missing",
            "outbound-incompatible",
            "use-restrictions-dropped",
        ],
    ),
    (
        "LicenseRef-llama3.3",
        Via::FineTune,
        &[
            "display-attribution",
            "license-copy-missing",
            "naming-prefix",
            "notice-missing",
            "outbound-incompatible",
            "use-restrictions-dropped",
        ],
    ),
    (
        "LicenseRef-llama4",
        Via::FineTune,
        &[
            "display-attribution",
            "license-copy-missing",
            "naming-prefix",
            "notice-missing",
            "outbound-incompatible",
            "use-restrictions-dropped",
        ],
    ),
    (
        "LicenseRef-mdl-commercial",
        Via::TrainedOn,
        &["attribution-missing"],
    ),
    (
        "LicenseRef-mdl-no-distribute",
        Via::TrainedOn,
        &["attribution-missing"],
    ),
    (
        "LicenseRef-mdl-research",
        Via::TrainedOn,
        &["attribution-missing", "research-only"],
    ),
    (
        "LicenseRef-mistral-non-production",
        Via::FineTune,
        &[
            "license-copy-missing",
            "notice-missing",
            "outbound-incompatible",
            "research-only",
        ],
    ),
    (
        "LicenseRef-mistral-research",
        Via::Outputs,
        &[
            "license-copy-missing",
            "notice-missing",
            "outbound-incompatible",
            "research-only",
        ],
    ),
    (
        "LicenseRef-openai-terms",
        Via::Outputs,
        &["generator-terms"],
    ),
    (
        "LicenseRef-openrail",
        Via::FineTune,
        &["license-copy-missing", "use-restrictions-dropped"],
    ),
    (
        "LicenseRef-openrail-pp",
        Via::FineTune,
        &["license-copy-missing", "use-restrictions-dropped"],
    ),
    (
        "LicenseRef-qwen",
        Via::Outputs,
        &[
            "display-attribution",
            "license-copy-missing",
            "notice-missing",
        ],
    ),
    (
        "LicenseRef-qwen-research",
        Via::FineTune,
        &[
            "display-attribution",
            "license-copy-missing",
            "outbound-incompatible",
            "permission-required",
        ],
    ),
    (
        "LicenseRef-tongyi-qianwen",
        Via::Outputs,
        &[
            "competing-model-clause",
            "license-copy-missing",
            "notice-missing",
        ],
    ),
    ("MIT", Via::FineTune, &["license-copy-missing"]),
    ("ODC-By-1.0", Via::TrainedOn, &["attribution-missing"]),
    ("ODbL-1.0", Via::TrainedOn, &["attribution-missing"]),
    ("PDDL-1.0", Via::TrainedOn, &[]),
    (
        "LicenseRef-not-in-the-catalog",
        Via::FineTune,
        &["upstream-license-unknown"],
    ),
];

#[test]
fn every_catalog_license_binds_a_derivative_as_its_clauses_say() {
    let l = Lineage::new();
    let mut want: BTreeSet<(String, String)> = BTreeSet::new();
    for (i, (license, via, rules)) in CATALOG.iter().enumerate() {
        let up = format!("up/u{i}");
        let down = format!("down/d{i}");
        let name = format!("Down-{i}");
        let mut flags = vec![
            "--license",
            "Apache-2.0",
            "--commercial",
            "true",
            "--published-name",
            &name,
        ];
        let generated = format!("gen/g{i}");
        let parent;
        match via {
            Via::FineTune => {
                l.model(&up, &["--license", license]);
                parent = format!("{up}:fine-tune");
                flags.extend(["--derived-from", &parent]);
            }
            Via::TrainedOn => {
                l.dataset(&up, &["--license", license]);
                flags.extend(["--trained-on", &up]);
            }
            Via::Outputs => {
                l.model(&up, &["--license", license]);
                l.dataset(&generated, &["--license", "CC0-1.0", "--generated-by", &up]);
                flags.extend(["--trained-on", &generated]);
            }
        }
        l.model(&down, &flags);
        want.extend(rules.iter().map(|r| (down.clone(), r.to_string())));
    }
    let (got, _) = l.check(&[]);
    let got: BTreeSet<(String, String)> = got
        .into_iter()
        .filter(|(id, _)| id.starts_with("down/"))
        .collect();
    let mut wrong = Vec::new();
    for (i, (license, _, _)) in CATALOG.iter().enumerate() {
        let id = format!("down/d{i}");
        let row = |s: &BTreeSet<(String, String)>| -> Vec<String> {
            s.iter()
                .filter(|(x, _)| *x == id)
                .map(|(_, r)| r.clone())
                .collect()
        };
        if row(&got) != row(&want) {
            wrong.push(format!(
                "{license}: got {:?}, want {:?}",
                row(&got),
                row(&want)
            ));
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
    // Every entry of the built-in catalog has its row.
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("licenses");
    let mut built_in: BTreeSet<String> = BTreeSet::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|x| x == "yaml") {
            let text = std::fs::read_to_string(&path).unwrap();
            let id = text.lines().find_map(|l| l.strip_prefix("id: ")).unwrap();
            built_in.insert(id.trim().to_owned());
        }
    }
    let rows: BTreeSet<String> = CATALOG
        .iter()
        .map(|(l, _, _)| l.to_string())
        .filter(|l| l != "LicenseRef-not-in-the-catalog")
        .collect();
    assert_eq!(rows, built_in, "one row per built-in catalog entry");
}

/// `acme/gemma-ft`, a Gemma fine-tune honouring the Gemma terms, that ships
/// `license_text` in `gemma-ft/LICENSE` as the copy of Gemma's license.
pub(crate) fn gemma_finetune_shipping(l: &Lineage, license_text: &str) {
    l.model("google/gemma-2-9b", &["--license", "LicenseRef-gemma"]);
    let gemma_notice = "Gemma is provided under and subject to the Gemma Terms of Use found at ai.google.dev/gemma/terms";
    l.t.write("gemma-ft/LICENSE", license_text);
    l.model(
        "acme/gemma-ft",
        &[
            "--license",
            "LicenseRef-gemma",
            "--derived-from",
            "google/gemma-2-9b:fine-tune",
            "--files",
            "gemma-ft",
            "--license-file",
            "LICENSE",
            "--notice",
            gemma_notice,
            "--use-restriction",
            "Gemma Prohibited Use Policy",
        ],
    );
}

#[test]
fn a_license_copy_must_be_the_license_by_its_content() {
    let (Some(apache), Some(gpl3), Some(lgpl3)) = (
        common_license("Apache-2.0"),
        common_license("GPL-3"),
        common_license("LGPL-3"),
    ) else {
        return;
    };
    let l = Lineage::new();
    gemma_finetune_shipping(&l, &apache);
    // Listed, the file clears the rule; read, it is Apache-2.0's text.
    l.expect(&["acme/gemma-ft"], &[]);
    l.expect(
        &["acme/gemma-ft", "--card", "gemma-ft"],
        &[
            ("acme/gemma-ft", "license-copy-mismatch"),
            ("acme/gemma-ft", "license-file-drift"),
        ],
    );
    let f = l.findings(&["acme/gemma-ft", "--card", "gemma-ft"]);
    let msg = f
        .iter()
        .find(|x| x["rule"] == "license-copy-mismatch")
        .unwrap()["message"]
        .as_str()
        .unwrap()
        .to_owned();
    assert!(msg.contains("is the text of Apache-2.0"), "{msg}");
    // The Gemma terms themselves (their catalog fingerprint) clear it.
    l.t.write(
        "gemma-ft/LICENSE",
        "Gemma Terms of Use\n\n\"Model Derivatives\" means ...\n\nGemma Prohibited Use Policy ...\n",
    );
    l.expect(&["acme/gemma-ft", "--card", "gemma-ft"], &[]);

    // SPDX texts by their whole content: the GPL-3.0 text is a copy of the
    // GPL, the LGPL's is not, though it quotes the GPL's title.
    l.model("lab/gpl-base", &["--license", "GPL-3.0-only"]);
    l.t.write("gpl-ft/COPYING", &gpl3);
    l.model(
        "lab/gpl-ft",
        &[
            "--license",
            "GPL-3.0-only",
            "--derived-from",
            "lab/gpl-base:fine-tune",
            "--files",
            "gpl-ft",
            "--license-file",
            "COPYING",
        ],
    );
    l.expect(&["lab/gpl-ft", "--card", "gpl-ft"], &[]);
    l.t.write("gpl-ft/COPYING", &lgpl3);
    l.expect(
        &["lab/gpl-ft", "--card", "gpl-ft"],
        &[("lab/gpl-ft", "license-copy-mismatch")],
    );
    // A listed license file missing from the folder is a missing copy.
    std::fs::remove_file(l.t.dir.join("gpl-ft/COPYING")).unwrap();
    l.expect(
        &["lab/gpl-ft", "--card", "gpl-ft"],
        &[("lab/gpl-ft", "license-copy-missing")],
    );
}

#[test]
fn naming_binds_a_new_name_not_a_quantization_under_the_upstream_name() {
    let l = Lineage::new();
    l.model(
        "meta-llama/Llama-3.3-70B-Instruct",
        &["--license", "LicenseRef-llama3.3"],
    );
    let honoured = |id: &str, name: &str| {
        l.model(
            id,
            &[
                "--license",
                "LicenseRef-llama3.3",
                "--derived-from",
                "meta-llama/Llama-3.3-70B-Instruct:quantization",
                "--published-name",
                name,
                "--notice",
                "Llama 3.3 is licensed under the Llama 3.3 Community License, Copyright © Meta Platforms, Inc. All Rights Reserved.",
                "--display-attribution",
                "Built with Llama",
                "--use-restriction",
                "Llama 3.3 Acceptable Use Policy",
                "--license-file",
                "LICENSE",
            ],
        );
    };
    honoured("acme/q4", "Llama-3.3-70B-Instruct-Q4_K_M-GGUF");
    l.expect(&["acme/q4"], &[]);
    honoured("acme/renamed", "Acme-70B-Q4");
    l.expect(&["acme/renamed"], &[("acme/renamed", "naming-prefix")]);
}

#[test]
fn outputs_of_a_proprietary_generator_warn_of_its_terms() {
    let l = Lineage::new();
    l.model("openai/gpt-4o", &["--license", "LicenseRef-openai-terms"]);
    l.dataset(
        "acme/synthetic",
        &["--license", "CC0-1.0", "--generated-by", "openai/gpt-4o"],
    );
    l.model(
        "acme/student",
        &["--license", "Apache-2.0", "--trained-on", "acme/synthetic"],
    );
    // A warning of its own rule, whatever the distillation switch says;
    // the exit code stays 0 unless --strict.
    for args in [
        &["acme/student"][..],
        &["acme/student", "--distillation-is-derivative", "false"][..],
    ] {
        let (got, code) = l.check(args);
        assert_eq!(
            got,
            BTreeSet::from([("acme/student".to_owned(), "generator-terms".to_owned())])
        );
        assert_eq!(code, 0);
    }
    let (_, code) = l.check(&["acme/student", "--strict"]);
    assert_eq!(code, 1);
}

#[test]
fn the_summary_keeps_own_findings_apart_from_inherited_ones() {
    let l = Lineage::new();
    l.dataset("up/data", &["--license", "LicenseRef-nobody-knows"]);
    l.model(
        "lab/model",
        &["--license", "MIT", "--trained-on", "up/data"],
    );
    let json =
        l.t.cmd(["check", "lab/model", "--format", "json"])
            .code(1)
            .json();
    let s = &json["summary"];
    assert_eq!(s["own"]["errors"], 1, "{json:#}");
    assert_eq!(s["inherited"]["warnings"], 1, "{json:#}");
    assert_eq!(s["inherited"]["errors"], 0, "{json:#}");
    assert_eq!(s["inherited_from"], serde_json::json!(["up/data"]));
    for f in json["findings"].as_array().unwrap() {
        assert_eq!(f["inherited"] == true, f["id"] == "up/data", "{f}");
    }
    l.t.cmd(["check", "lab/model"]).code(1).stdout_has(
        "your records: 1 error(s), 0 warning(s), 0 note(s); inherited from 1 upstream record(s): 0 error(s), 1 warning(s), 0 note(s) (up/data)",
    );
    let sarif =
        l.t.cmd(["check", "lab/model", "--format", "sarif"])
            .code(1)
            .json();
    let run = &sarif["runs"][0];
    assert_eq!(run["properties"]["summary"]["inherited"]["warnings"], 1);
    for r in run["results"].as_array().unwrap() {
        let inherited = r["properties"]["id"] == "up/data";
        assert_eq!(
            r["properties"]["origin"],
            if inherited { "inherited" } else { "own" }
        );
    }
    // Named itself, the upstream record is the user's own.
    let json =
        l.t.cmd(["check", "up/data", "--format", "json"])
            .success()
            .json();
    assert_eq!(json["summary"]["own"]["warnings"], 1);
    assert_eq!(json["summary"]["inherited"]["warnings"], 0);
}

#[test]
fn an_unknown_rule_name_is_an_error_naming_the_nearest() {
    let l = Lineage::new();
    l.t.cmd(["check", "--allow", "nc-propagaton"])
        .code(2)
        .stderr_has("the nearest is `nc-propagation`");
    l.t.cmd(["policy", "waive", "licence-missing", "*", "--reason", "r"])
        .code(2)
        .stderr_has("the nearest is `license-missing`");
}

#[test]
fn verify_and_check_sarif_runs_have_distinct_categories() {
    let l = Lineage::new();
    l.model("lab/model", &["--license", "MIT"]);
    let verify =
        l.t.cmd(["verify", "--no-files", "--format", "sarif"])
            .json();
    let check = l.t.cmd(["check", "--format", "sarif"]).json();
    let (a, b) = (
        crate::support::assert_github_sarif(&verify),
        crate::support::assert_github_sarif(&check),
    );
    assert_ne!(a, b);
    let rules = &verify["runs"][0]["tool"]["driver"]["rules"];
    assert!(
        rules[0]["helpUri"]
            .as_str()
            .unwrap()
            .ends_with("commands/rules.md#manifest-invalid"),
        "{rules}"
    );
}
