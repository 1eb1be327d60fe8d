//! `commons check`: license compliance of records through their lineage.

use std::path::PathBuf;

use crate::cli::{Context, ExitStatus};
use crate::license::{Catalog, CheckPolicy, Subjects};
use crate::output::{ReportFormat, print_report};

/// Check that models and datasets honour every license in their lineage
///
/// Walks each record's lineage (base models, adapters, merge parents,
/// training data, the models that generated synthetic data, transitively)
/// and tests every obligation of every license that binds it. Exit status:
/// 0 compliant, 1 violations found, 2 the check could not run.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Models or datasets to check (id or manifest path), with everything
    /// upstream of them; none: every model and dataset in the commons
    #[arg(value_name = "ID")]
    pub ids: Vec<String>,
    /// Output: human text, JSON, SARIF 2.1.0 or GitLab's code-quality report
    #[arg(long, value_enum, default_value = "human")]
    pub format: ReportFormat,
    /// Fail on warnings too
    #[arg(long)]
    pub strict: bool,
    /// Do the licenses of training data bind the trained weights?
    /// [default: policy.dataset_licenses_bind_weights in commons.yaml, else true]
    #[arg(long, value_name = "BOOL")]
    pub dataset_licenses_bind_weights: Option<bool>,
    /// Is a model distilled from another (or trained on data it generated)
    /// a derivative of it? [default: policy.distillation_is_derivative in
    /// commons.yaml, else true]
    #[arg(long, value_name = "BOOL")]
    pub distillation_is_derivative: Option<bool>,
    /// The artifact folder of the (single) record checked: its model card
    /// (README.md) and LICENSE file are compared with the manifest, and the
    /// license files it lists are identified by their content
    #[arg(long, value_name = "DIR")]
    pub card: Option<PathBuf>,
    #[command(flatten)]
    pub levels: super::levels::LevelArgs,
}

pub fn run(args: Args, ctx: &Context) -> anyhow::Result<ExitStatus> {
    let commons = ctx.commons()?;
    let catalog = Catalog::with_folder(&commons.root().join("licenses"))?;
    let config = &commons.config.policy;
    let mut policy = CheckPolicy {
        dataset_licenses_bind_weights: args
            .dataset_licenses_bind_weights
            .unwrap_or(config.dataset_licenses_bind_weights),
        distillation_is_derivative: args
            .distillation_is_derivative
            .unwrap_or(config.distillation_is_derivative),
        accepted_licenses: config.accepted_licenses.clone(),
        license_copies: Default::default(),
    };
    let mut ids = Vec::new();
    for id in &args.ids {
        if id.ends_with(".yaml") || id.ends_with(".yml") {
            ids.push(commons.load(id)?.manifest.id);
        } else {
            ids.push(id.clone());
        }
    }
    if args.card.is_some() && ids.len() != 1 {
        anyhow::bail!("--card compares one record with its artifact folder: name exactly one ID");
    }
    let card = match &args.card {
        Some(dir) => Some((commons.load(&ids[0])?, ctx.dir.join(dir))),
        None => None,
    };
    if let Some((record, dir)) = &card {
        let copies = crate::license::identify::copies(&catalog, record, dir)?;
        policy
            .license_copies
            .insert(record.manifest.id.clone(), copies);
    }
    let loaded = commons.load_all()?;
    let subjects = if ids.is_empty() {
        Subjects::All
    } else {
        Subjects::Lineage(ids.clone())
    };
    let mut report = crate::license::check(&loaded, &catalog, &policy, &subjects)?;
    report
        .findings
        .extend(crate::pins::mismatches(&commons, &loaded, &report.subjects));
    match &card {
        Some((record, dir)) => {
            report
                .findings
                .extend(crate::license::drift::check(&catalog, record, dir)?);
            report.examined.checked.push(format!(
                "{}: its model card and license files in {}",
                record.manifest.id,
                dir.display()
            ));
        }
        None => report
            .examined
            .skipped
            .push("model cards and license files: give --card DIR to compare one".to_owned()),
    }
    locate(&mut report.findings, &loaded);
    report.mark_inherited();
    args.levels.apply(&mut report, &commons.config.policy);
    ctx.printer
        .examined(&report.examined, args.format != ReportFormat::Human);
    print_report(&report, args.format, crate::rule::Tool::Check)?;
    Ok(if report.fails(args.strict) {
        ExitStatus::Findings
    } else {
        ExitStatus::Success
    })
}

/// Points each finding about a manifest field at the field's line.
fn locate(findings: &mut [crate::finding::Finding], loaded: &[crate::commons::Loaded]) {
    let by_file: std::collections::HashMap<&str, &crate::commons::Loaded> =
        loaded.iter().map(|l| (l.rel.as_str(), l)).collect();
    // Each manifest's text decoded once, however many findings it has.
    let mut texts: std::collections::HashMap<&str, String> = std::collections::HashMap::new();
    for f in findings.iter_mut().filter(|f| f.line.is_none()) {
        let (Some(file), Some(field)) = (&f.file, &f.field) else {
            continue;
        };
        let Some(l) = by_file.get(file.as_str()) else {
            continue;
        };
        let text = texts
            .entry(l.rel.as_str())
            .or_insert_with(|| String::from_utf8_lossy(&l.bytes).into_owned());
        f.line = crate::yaml::line_of(text, field);
    }
}
