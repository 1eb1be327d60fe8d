//! `commons record model|dataset`: write a manifest for local artifacts.

use std::path::PathBuf;

use crate::cli::{Context, ExitStatus};
use crate::manifest::{
    Component, ComponentKind, HubSource, Kind, Obtained, ObtainedFor, Relation, Source, Weights,
};
use crate::record::{RecordSpec, build_with_progress, save};

/// Write a manifest for local files (a fine-tune you made, a dataset you collected)
#[derive(Debug, clap::Subcommand)]
pub enum RecordCommand {
    /// Record a model
    Model(ModelArgs),
    /// Record a dataset
    Dataset(DatasetArgs),
}

/// What every record says.
#[derive(Debug, clap::Args)]
pub struct CommonArgs {
    /// The record's id, `org/name`
    pub id: String,
    /// SPDX license expression, e.g. `Apache-2.0` or `MIT OR Apache-2.0`, or a
    /// Hub license id (`apache-2.0`, `llama3.1`), mapped as `fetch` maps it
    #[arg(long)]
    pub license: Option<String>,
    /// Folder whose files (all of them) the manifest lists with size and sha256
    #[arg(long, value_name = "DIR")]
    pub files: Option<PathBuf>,
    /// A human title for the record (default: its id)
    #[arg(long)]
    pub title: Option<String>,
    /// One paragraph saying what the record is
    #[arg(long)]
    pub description: Option<String>,
    /// Attribution or notice text every copy must carry (repeatable)
    #[arg(long = "notice", value_name = "TEXT")]
    pub notices: Vec<String>,
    /// A license text among the files, e.g. LICENSE (repeatable)
    #[arg(long = "license-file", value_name = "PATH")]
    pub license_files: Vec<String>,
    /// "Built with …" text shown where the artifact is offered (repeatable)
    #[arg(long, value_name = "TEXT")]
    pub display_attribution: Vec<String>,
    /// The license the upstream declares (e.g. its model card's `license:`)
    /// when it differs from what it really carries
    #[arg(long, value_name = "LICENSE")]
    pub declared_license: Option<String>,
    /// A permission or license obtained from a licensor beyond what its
    /// license grants, `LICENSE:FOR:EVIDENCE` with FOR one of commercial,
    /// derivatives, hosting (repeatable)
    #[arg(long, value_name = "LICENSE:FOR:EVIDENCE", value_parser = parse_obtained)]
    pub obtained: Vec<Obtained>,
    /// Source: a URL (with --retrieved DATE)
    #[arg(long, value_name = "URL", conflicts_with_all = ["source_hub", "source_local"])]
    pub source_url: Option<String>,
    /// Date the URL was retrieved (YYYY-MM-DD)
    #[arg(long, value_name = "DATE", requires = "source_url")]
    pub retrieved: Option<String>,
    /// Source: a Hub repository at a 40-hex commit, `org/name@COMMIT`
    #[arg(long, value_name = "REPO@COMMIT", conflicts_with = "source_local")]
    pub source_hub: Option<String>,
    /// Source: made locally; say how
    #[arg(long, value_name = "TEXT")]
    pub source_local: Option<String>,
    /// Replace an existing record of this id (removing its signatures)
    #[arg(long)]
    pub force: bool,
}

#[derive(Debug, clap::Args)]
pub struct ModelArgs {
    #[command(flatten)]
    pub common: CommonArgs,
    /// Upstream model and relation, `org/name:fine-tune` (adapter, merge, quantization, distillation, continued-pretraining); repeatable
    #[arg(long = "derived-from", value_name = "ID:RELATION", value_parser = parse_upstream)]
    pub derived_from: Vec<(String, Relation)>,
    /// A dataset the model was trained on (repeatable)
    #[arg(long = "trained-on", value_name = "ID")]
    pub trained_on: Vec<String>,
    /// A dataset the model was pretrained on from scratch, without a base
    /// model (repeatable)
    #[arg(
        long = "pretrained-on",
        value_name = "ID",
        conflicts_with = "derived_from"
    )]
    pub pretrained_on: Vec<String>,
    /// A use restriction the model carries (repeatable)
    #[arg(long = "use-restriction", value_name = "TEXT")]
    pub use_restrictions: Vec<String>,
    /// The name the model is published under
    #[arg(long)]
    pub published_name: Option<String>,
    /// How the weights reach others: published as files, served behind an API, or kept private
    #[arg(long, value_enum)]
    pub weights: Option<WeightsArg>,
    /// Whether the model is offered for commercial use
    #[arg(long)]
    pub commercial: Option<bool>,
    /// Model architecture, e.g. llama, qwen2, bert (as in GGUF's general.architecture)
    #[arg(long)]
    pub architecture: Option<String>,
    /// File format, e.g. gguf, safetensors
    #[arg(long)]
    pub format: Option<String>,
    /// A published component of the model's making, as the Model Openness
    /// Framework names them: `KIND[:LICENSE]=LOCATION`, LOCATION a pinned URL
    /// or one of the recorded files (its digest is recorded with it), e.g.
    /// `training-code:Apache-2.0=https://github.com/org/repo/tree/COMMIT`
    /// (repeatable; `commons openness` lists the kinds)
    #[arg(long = "component", value_name = "KIND[:LICENSE]=LOCATION", value_parser = parse_component)]
    pub components: Vec<Component>,
}

#[derive(Debug, clap::Args)]
pub struct DatasetArgs {
    #[command(flatten)]
    pub common: CommonArgs,
    /// How the data was collected
    #[arg(long)]
    pub collection: Option<String>,
    /// What consent the people in the data gave
    #[arg(long)]
    pub consent: Option<String>,
    /// Whether and which personal data it holds
    #[arg(long)]
    pub personal_data: Option<String>,
    /// A language of the data, BCP 47 (repeatable)
    #[arg(long = "language")]
    pub languages: Vec<String>,
    /// The model that generated it, if synthetic
    #[arg(long, value_name = "ID")]
    pub generated_by: Option<String>,
    /// A dataset it was derived from (repeatable)
    #[arg(long, value_name = "ID")]
    pub upstream: Vec<String>,
    /// Number of items
    #[arg(long)]
    pub items: Option<u64>,
}

#[derive(Debug, Clone, Copy, clap::ValueEnum)]
pub enum WeightsArg {
    Published,
    Served,
    Private,
}

fn parse_upstream(s: &str) -> Result<(String, Relation), String> {
    let (id, rel) = s
        .rsplit_once(':')
        .ok_or_else(|| format!("`{s}`: expected ID:RELATION, e.g. org/base:fine-tune"))?;
    let relation = Relation::parse(rel).ok_or_else(|| {
        let all: Vec<&str> = Relation::ALL.iter().map(|r| r.as_str()).collect();
        format!("`{rel}` is not a relation; one of {}", all.join(", "))
    })?;
    Ok((id.to_owned(), relation))
}

fn parse_component(s: &str) -> Result<Component, String> {
    let (head, location) = s.split_once('=').ok_or_else(|| {
        format!("`{s}`: expected KIND[:LICENSE]=LOCATION, e.g. model-card:CC-BY-4.0=README.md")
    })?;
    let (kind, license) = match head.split_once(':') {
        Some((kind, license)) => (kind, Some(license.trim())),
        None => (head, None),
    };
    let component = ComponentKind::parse(kind.trim()).ok_or_else(|| {
        let all: Vec<&str> = ComponentKind::ALL.iter().map(|k| k.as_str()).collect();
        format!("`{kind}` is not a component; one of {}", all.join(", "))
    })?;
    if location.trim().is_empty() || license.is_some_and(str::is_empty) {
        return Err(format!(
            "`{s}`: the location and the license must not be empty"
        ));
    }
    Ok(Component {
        component,
        location: location.trim().to_owned(),
        sha256: None,
        license: license.map(str::to_owned),
    })
}

fn parse_obtained(s: &str) -> Result<Obtained, String> {
    let mut parts = s.splitn(3, ':');
    let (Some(license), Some(act), Some(evidence)) = (parts.next(), parts.next(), parts.next())
    else {
        return Err(format!(
            "`{s}`: expected LICENSE:FOR:EVIDENCE, e.g. LicenseRef-qwen-research:commercial:\"letter from Alibaba Cloud, 2026-03-01\""
        ));
    };
    let act = ObtainedFor::parse(act).ok_or_else(|| {
        format!(
            "`{act}` is not what a permission is for; one of {}",
            ObtainedFor::NAMES.join(", ")
        )
    })?;
    if license.trim().is_empty() || evidence.trim().is_empty() {
        return Err(format!(
            "`{s}`: the license and the evidence must not be empty"
        ));
    }
    Ok(Obtained {
        license: license.trim().to_owned(),
        act,
        evidence: evidence.trim().to_owned(),
    })
}

fn source(ctx: &Context, c: &CommonArgs) -> anyhow::Result<Option<Source>> {
    let empty = Source {
        hub: None,
        url: None,
        retrieved: None,
        git: None,
        local: None,
    };
    if let Some(url) = &c.source_url {
        return Ok(Some(Source {
            url: Some(url.clone()),
            retrieved: c.retrieved.clone(),
            ..empty
        }));
    }
    if let Some(hub) = &c.source_hub {
        let (repo, rev) = hub
            .split_once('@')
            .ok_or_else(|| anyhow::anyhow!("--source-hub `{hub}`: expected org/name@COMMIT"))?;
        anyhow::ensure!(
            rev.len() == 40 && rev.bytes().all(|b| b.is_ascii_hexdigit()),
            "--source-hub `{hub}`: the revision must be a 40-hex commit, so the source is pinned"
        );
        let endpoint =
            std::env::var("HF_ENDPOINT").unwrap_or_else(|_| "https://huggingface.co".into());
        return Ok(Some(Source {
            hub: Some(HubSource {
                endpoint,
                repo_type: "model".into(),
                repo: repo.into(),
                revision: rev.to_ascii_lowercase(),
            }),
            ..empty
        }));
    }
    let _ = ctx;
    Ok(c.source_local.as_ref().map(|l| Source {
        local: Some(l.clone()),
        ..empty
    }))
}

fn spec(ctx: &Context, c: &CommonArgs) -> anyhow::Result<RecordSpec> {
    Ok(RecordSpec {
        id: c.id.clone(),
        title: c.title.clone(),
        description: c.description.clone(),
        license: c.license.clone(),
        notices: c.notices.clone(),
        license_files: c.license_files.clone(),
        display_attribution: (!c.display_attribution.is_empty())
            .then(|| c.display_attribution.join("\n")),
        declared_license: c.declared_license.clone(),
        obtained: c.obtained.clone(),
        source: source(ctx, c)?,
        files: c.files.as_ref().map(|f| ctx.dir.join(f)),
        ..RecordSpec::default()
    })
}

pub fn run(cmd: RecordCommand, ctx: &Context) -> anyhow::Result<ExitStatus> {
    let commons = ctx.commons()?;
    let common = match &cmd {
        RecordCommand::Model(a) => &a.common,
        RecordCommand::Dataset(a) => &a.common,
    };
    if let Some(existing) = commons.find_path(&common.id)
        && !common.force
    {
        anyhow::bail!(
            "{}: `{}` is already recorded; pass --force to replace the record (its signatures are removed), or `commons repin {}` to only move its pins",
            existing.display(),
            common.id,
            common.id
        );
    }
    let (kind, spec) = match cmd {
        RecordCommand::Model(a) => {
            let mut s = spec(ctx, &a.common)?;
            s.derived_from = a.derived_from;
            s.trained_on = a.trained_on;
            s.pretrained_on = a.pretrained_on;
            s.use_restrictions = a.use_restrictions;
            s.published_name = a.published_name;
            s.weights = a.weights.map(|w| match w {
                WeightsArg::Published => Weights::Published,
                WeightsArg::Served => Weights::Served,
                WeightsArg::Private => Weights::Private,
            });
            s.commercial = a.commercial;
            s.architecture = a.architecture;
            s.format = a.format;
            s.components = a.components;
            (Kind::Model, s)
        }
        RecordCommand::Dataset(a) => {
            let mut s = spec(ctx, &a.common)?;
            s.collection = a.collection;
            s.consent = a.consent;
            s.personal_data = a.personal_data;
            s.languages = a.languages;
            s.generated_by = a.generated_by;
            s.upstream = a.upstream;
            s.items = a.items;
            (Kind::Dataset, s)
        }
    };
    let bar = ctx.printer.progress(0, true, false);
    bar.set_message("hashing");
    let manifest = build_with_progress(
        &commons,
        kind,
        &spec,
        &crate::output::BarProgress(bar.clone()),
    )?;
    bar.finish_and_clear();
    let who = git_user(&commons);
    let path = save(&commons, &manifest, &who)?;
    ctx.printer.status(
        "Recorded",
        format!("{kind} {} in {}", manifest.id, path.display()),
    );
    Ok(ExitStatus::Success)
}

/// The user's name from git configuration, for commit messages.
pub fn git_user(commons: &crate::commons::Commons) -> String {
    git2::Repository::open(commons.root())
        .ok()
        .and_then(|r| {
            r.signature()
                .ok()
                .and_then(|s| s.name().ok().map(String::from))
        })
        .unwrap_or_else(|| "an unnamed user".into())
}
