//! Manifests: the signed YAML records of a commons.
//!
//! One type describes every kind of record (model, dataset, evaluation); the
//! kind-specific part sits in its own optional section so that a manifest reads
//! top to bottom the same way whatever it describes, and so that the JSON
//! Schema generated from these types (see `schema`) stays one flat document.
//! Every struct denies unknown fields: a misspelt key is an error with its
//! line and column, never a silently ignored field.

use std::collections::BTreeMap;
use std::fmt;
use std::path::{Path, PathBuf};

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::digest::Sha256Hex;
use crate::error::{Error, Result};

/// The schema version written into every manifest.
pub const SCHEMA_VERSION: &str = "commons/v1";

/// What a manifest describes.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, JsonSchema,
)]
#[serde(rename_all = "lowercase")]
pub enum Kind {
    Model,
    Dataset,
    Eval,
}

impl Kind {
    /// The folder under `manifests/` that holds manifests of this kind.
    pub fn folder(self) -> &'static str {
        match self {
            Kind::Model => "models",
            Kind::Dataset => "datasets",
            Kind::Eval => "evals",
        }
    }
}

impl fmt::Display for Kind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Kind::Model => "model",
            Kind::Dataset => "dataset",
            Kind::Eval => "eval",
        })
    }
}

/// A signed record of one model, dataset or evaluation.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Manifest {
    /// Always `commons/v1` for this version of the format.
    pub schema: String,
    pub kind: Kind,
    /// `org/name` (evaluations: `org/name/task-id`).
    pub id: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub license: Option<License>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<Source>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub files: Vec<FileEntry>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub model: Option<ModelSection>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub dataset: Option<DatasetSection>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub eval: Option<EvalSection>,
}

/// The license a record is offered under, and what it must carry with it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct License {
    /// An SPDX license expression, e.g. `Apache-2.0`, `MIT OR Apache-2.0`,
    /// `LicenseRef-llama3.1`.
    pub expression: String,
    /// Attribution and notice texts that every copy must carry.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub notices: Vec<String>,
    /// Paths (within `files`) of the license texts shipped with the artifact.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub license_files: Vec<String>,
    /// "Built with …" text displayed where the artifact is offered.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub display_attribution: Option<String>,
    /// The license the upstream card declares, when it differs in form
    /// (e.g. the Hub's `llama3.1`), kept for drift checks.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub declared: Option<String>,
    /// What was obtained from a licensor beyond what its license grants: a
    /// written permission, a separate hosting license.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub obtained: Vec<Obtained>,
}

/// A permission or license obtained from a licensor, and the evidence of it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Obtained {
    /// The license whose clause asks for it, as the catalog names it
    /// (e.g. `LicenseRef-qwen-research`).
    pub license: String,
    /// What it allows.
    #[serde(rename = "for")]
    pub act: ObtainedFor,
    /// From whom, and where the grant is kept (a letter, a contract number).
    pub evidence: String,
}

/// What an obtained permission allows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum ObtainedFor {
    /// Offering the model for commercial use.
    Commercial,
    /// Sharing a derivative at all.
    Derivatives,
    /// Serving the model to others (a hosting license).
    Hosting,
}

impl ObtainedFor {
    pub const NAMES: [&str; 3] = ["commercial", "derivatives", "hosting"];

    pub fn as_str(self) -> &'static str {
        match self {
            ObtainedFor::Commercial => "commercial",
            ObtainedFor::Derivatives => "derivatives",
            ObtainedFor::Hosting => "hosting",
        }
    }

    pub fn parse(s: &str) -> Option<ObtainedFor> {
        match s.trim() {
            "commercial" => Some(ObtainedFor::Commercial),
            "derivatives" => Some(ObtainedFor::Derivatives),
            "hosting" => Some(ObtainedFor::Hosting),
            _ => None,
        }
    }
}

/// Where an artifact came from, pinned.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Source {
    /// A Hugging Face Hub repository at a pinned commit.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub hub: Option<HubSource>,
    /// A URL, with the date it was retrieved.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub retrieved: Option<String>,
    /// A public git repository at a pinned commit.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub git: Option<GitSource>,
    /// Made locally by a member (a fine-tune, a collection).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub local: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct HubSource {
    pub endpoint: String,
    /// `model` or `dataset`.
    #[serde(default = "default_repo_type")]
    pub repo_type: String,
    pub repo: String,
    /// The 40-hex commit the files were taken from.
    pub revision: String,
}

impl HubSource {
    /// Every part that names a folder of the Hugging Face cache is checked
    /// before `verify` looks there: a revision of `../../..` would otherwise
    /// point it at files outside the cache. Errors name the field.
    pub fn validate(&self) -> std::result::Result<(), (&'static str, String)> {
        if !matches!(self.repo_type.as_str(), "model" | "dataset" | "space") {
            return Err((
                "repo_type",
                format!("`{}` is not model, dataset or space", self.repo_type),
            ));
        }
        crate::hfcache::check_repo_id(&self.repo).map_err(|m| ("repo", m))?;
        crate::hfcache::check_revision(&self.revision).map_err(|m| ("revision", m))?;
        if !(self.endpoint.starts_with("https://") || self.endpoint.starts_with("http://")) {
            return Err((
                "endpoint",
                format!("`{}` is not an http(s) URL", self.endpoint),
            ));
        }
        Ok(())
    }
}

fn default_repo_type() -> String {
    "model".to_owned()
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct GitSource {
    pub repo: String,
    pub commit: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub path: Option<String>,
}

/// One file of an artifact.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct FileEntry {
    /// Relative path, `/`-separated, never escaping the artifact's folder.
    pub path: String,
    pub size: u64,
    pub sha256: Sha256Hex,
    /// Digests of consecutive fixed-size pieces, so large files verify in
    /// parallel. Signed with the rest of the manifest.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pieces: Option<Pieces>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Pieces {
    /// Bytes per piece; the last piece may be shorter.
    pub size: u64,
    pub sha256: Vec<Sha256Hex>,
}

/// A reference to another manifest in the commons, by id and by the sha256
/// of that manifest's file, so that a lineage is tamper-evident.
#[derive(
    Debug, Clone, Default, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, JsonSchema,
)]
#[serde(deny_unknown_fields)]
pub struct Reference {
    pub id: String,
    /// sha256 of the referenced manifest file; absent while unresolved.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub digest: Option<Sha256Hex>,
}

/// How a model was made from its upstream.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, JsonSchema,
)]
#[serde(rename_all = "kebab-case")]
pub enum Relation {
    FineTune,
    Adapter,
    Merge,
    Quantization,
    Distillation,
    ContinuedPretraining,
}

impl Relation {
    pub const ALL: [Relation; 6] = [
        Relation::FineTune,
        Relation::Adapter,
        Relation::Merge,
        Relation::Quantization,
        Relation::Distillation,
        Relation::ContinuedPretraining,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Relation::FineTune => "fine-tune",
            Relation::Adapter => "adapter",
            Relation::Merge => "merge",
            Relation::Quantization => "quantization",
            Relation::Distillation => "distillation",
            Relation::ContinuedPretraining => "continued-pretraining",
        }
    }

    /// Parses the names used here and the Hub's `base_model_relation` values.
    pub fn parse(s: &str) -> Option<Relation> {
        match s.trim().to_ascii_lowercase().replace('_', "-").as_str() {
            "fine-tune" | "finetune" => Some(Relation::FineTune),
            "adapter" => Some(Relation::Adapter),
            "merge" => Some(Relation::Merge),
            "quantization" | "quantized" => Some(Relation::Quantization),
            "distillation" | "distilled" => Some(Relation::Distillation),
            "continued-pretraining" => Some(Relation::ContinuedPretraining),
            _ => None,
        }
    }
}

impl fmt::Display for Relation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Upstream {
    pub id: String,
    pub relation: Relation,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub digest: Option<Sha256Hex>,
}

/// A dataset a model was trained on, pinned like any reference.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct TrainingData {
    pub id: String,
    /// sha256 of the dataset's manifest file; absent while unresolved.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub digest: Option<Sha256Hex>,
    /// `pretraining` when the model was trained on it from scratch, without
    /// a base model; absent when the data trained a base model further.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub stage: Option<TrainingStage>,
}

/// At which stage a dataset trained a model.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum TrainingStage {
    /// Trained from scratch: the model has no base model.
    Pretraining,
}

/// Whether a model's weights are published or only served.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum Weights {
    Published,
    Served,
    Private,
}

#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ModelSection {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub architecture: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub format: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub derived_from: Vec<Upstream>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub trained_on: Vec<TrainingData>,
    /// Use restrictions this model carries (passed on to derivatives).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub use_restrictions: Vec<String>,
    /// The name the model is published under.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub published_name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub weights: Option<Weights>,
    /// Whether the model is offered for commercial use.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub commercial: Option<bool>,
    /// Upstream references a fetch could not resolve in this commons.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub unresolved: Vec<String>,
    /// What of the model's making is published, where, and under which
    /// license: the components the Model Openness Framework classifies
    /// (see `commons openness`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub components: Vec<Component>,
}

/// One published component of a model's making.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Component {
    pub component: ComponentKind,
    /// Where it is published: a URL (pinned: a commit, a DOI, a versioned
    /// page), or the path of one of this manifest's `files`.
    pub location: String,
    /// sha256 of the file, where the component is one file; for a path
    /// within `files` it must be that file's digest.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sha256: Option<Sha256Hex>,
    /// The SPDX license expression it is published under.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub license: Option<String>,
}

/// The components of a model's making that the Model Openness Framework
/// (LF AI & Data) names.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, JsonSchema,
)]
#[serde(rename_all = "kebab-case")]
pub enum ComponentKind {
    ModelArchitecture,
    ModelParameters,
    ModelCard,
    DataCard,
    TechnicalReport,
    EvaluationResults,
    TrainingCode,
    InferenceCode,
    EvaluationCode,
    EvaluationData,
    Datasets,
    DataPreprocessingCode,
    IntermediateParameters,
    ResearchPaper,
}

impl ComponentKind {
    pub const ALL: [ComponentKind; 14] = [
        ComponentKind::ModelArchitecture,
        ComponentKind::ModelParameters,
        ComponentKind::ModelCard,
        ComponentKind::DataCard,
        ComponentKind::TechnicalReport,
        ComponentKind::EvaluationResults,
        ComponentKind::TrainingCode,
        ComponentKind::InferenceCode,
        ComponentKind::EvaluationCode,
        ComponentKind::EvaluationData,
        ComponentKind::Datasets,
        ComponentKind::DataPreprocessingCode,
        ComponentKind::IntermediateParameters,
        ComponentKind::ResearchPaper,
    ];

    /// The kind a kebab-case name names.
    pub fn parse(name: &str) -> Option<ComponentKind> {
        ComponentKind::ALL.into_iter().find(|k| k.as_str() == name)
    }

    pub fn as_str(self) -> &'static str {
        match self {
            ComponentKind::ModelArchitecture => "model-architecture",
            ComponentKind::ModelParameters => "model-parameters",
            ComponentKind::ModelCard => "model-card",
            ComponentKind::DataCard => "data-card",
            ComponentKind::TechnicalReport => "technical-report",
            ComponentKind::EvaluationResults => "evaluation-results",
            ComponentKind::TrainingCode => "training-code",
            ComponentKind::InferenceCode => "inference-code",
            ComponentKind::EvaluationCode => "evaluation-code",
            ComponentKind::EvaluationData => "evaluation-data",
            ComponentKind::Datasets => "datasets",
            ComponentKind::DataPreprocessingCode => "data-preprocessing-code",
            ComponentKind::IntermediateParameters => "intermediate-parameters",
            ComponentKind::ResearchPaper => "research-paper",
        }
    }
}

impl fmt::Display for ComponentKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct DatasetSection {
    /// How the data was collected (crawl, annotation, synthetic, …).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub collection: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub consent: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub personal_data: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub languages: Vec<String>,
    /// The model that generated this data, if synthetic.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub generated_by: Option<Reference>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub upstream: Vec<Reference>,
    /// Number of items, when known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub items: Option<u64>,
}

#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct EvalSection {
    pub model: Reference,
    pub task: String,
    /// The evaluation data: a dataset manifest and/or the data file's digest.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub dataset: Option<Reference>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub data_sha256: Option<Sha256Hex>,
    /// Every setting that changes the number.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    #[schemars(with = "BTreeMap<String, serde_json::Value>")]
    pub config: BTreeMap<String, serde_yaml::Value>,
    #[serde(default)]
    pub metrics: BTreeMap<String, Metric>,
    pub engine: String,
    pub engine_version: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub date: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub duration_seconds: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub shard: Option<Shard>,
    /// Items scored (of this shard, when sharded).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub items: Option<u64>,
    /// Items the data holds (documents, chunks, questions or pairs), before
    /// `--limit` and sharding: with `items`, how much of the benchmark the
    /// result covers.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub data_items: Option<u64>,
    /// The exact sums (and, for rank metrics, the per-item series) the
    /// metrics were computed from, so that shards merge into exactly the
    /// result of one unsplit run.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    #[schemars(with = "BTreeMap<String, serde_json::Value>")]
    pub tally: BTreeMap<String, serde_yaml::Value>,
    /// The shard manifests this result was merged from (their ids and the
    /// sha256 of their files, which stay in the commons' git history), so
    /// `verify` can merge them again and compare.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub merged_from: Vec<Reference>,
    /// The per-item samples (`commons eval --log-samples`): a file beside
    /// this manifest, bound to it by its sha256.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub samples: Option<SamplesFile>,
}

/// A file of per-item samples beside an eval manifest.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct SamplesFile {
    /// The file's name, in the manifest's folder (`<name>.samples.jsonl.zst`).
    pub file: String,
    /// sha256 of the file's bytes.
    pub sha256: Sha256Hex,
    /// Samples it holds (one per item scored).
    pub items: u64,
}

#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Metric {
    pub value: f64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub stderr: Option<f64>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Shard {
    /// 1-based index of this shard.
    pub index: u32,
    pub count: u32,
}

/// What a reference from one manifest to another means.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RefKind {
    /// A model made from a base model's weights, and how.
    BaseModel(Relation),
    /// A model trained on a dataset (`Pretraining`: from scratch).
    TrainedOn(Option<TrainingStage>),
    /// A dataset made of a model's outputs.
    GeneratedBy,
    /// A dataset derived from another dataset.
    UpstreamData,
    /// The model an evaluation measured.
    Evaluates,
    /// The dataset an evaluation tested the model on.
    TestedOn,
}

impl RefKind {
    /// The edge's name in a drawn lineage (`fine-tune`, `trained-on`, …).
    pub fn label(self) -> &'static str {
        match self {
            RefKind::BaseModel(r) => r.as_str(),
            RefKind::TrainedOn(Some(TrainingStage::Pretraining)) => "pretrained-on",
            RefKind::TrainedOn(None) => "trained-on",
            RefKind::GeneratedBy => "generated-by",
            RefKind::UpstreamData => "upstream",
            RefKind::Evaluates => "evaluates",
            RefKind::TestedOn => "data",
        }
    }
}

impl<'a> ManifestRef<'a> {
    fn new(
        field: String,
        id: &'a str,
        digest: Option<&'a Sha256Hex>,
        kind: RefKind,
    ) -> ManifestRef<'a> {
        ManifestRef {
            field,
            id,
            digest,
            kind,
        }
    }
}

/// One reference of a manifest (see [`Manifest::references`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ManifestRef<'a> {
    /// The field that makes it, e.g. `model.trained_on[0]`.
    pub field: String,
    /// The referenced record's id.
    pub id: &'a str,
    /// The pinned digest of the referenced manifest file, if pinned.
    pub digest: Option<&'a Sha256Hex>,
    pub kind: RefKind,
}

impl Manifest {
    /// A new, empty manifest of the given kind and id.
    pub fn new(kind: Kind, id: impl Into<String>) -> Manifest {
        Manifest {
            schema: SCHEMA_VERSION.to_owned(),
            kind,
            id: id.into(),
            title: None,
            description: None,
            license: None,
            source: None,
            files: Vec::new(),
            model: (kind == Kind::Model).then(ModelSection::default),
            dataset: (kind == Kind::Dataset).then(DatasetSection::default),
            eval: None,
        }
    }

    /// Parses a manifest from YAML text; `origin` names the file in errors.
    pub fn from_yaml(text: &str, origin: &Path) -> Result<Manifest> {
        let manifest: Manifest = crate::yaml::parse(text, origin)?;
        manifest.validate(origin)?;
        Ok(manifest)
    }

    /// Serialises to the canonical YAML written to disk.
    pub fn to_yaml(&self) -> String {
        serde_yaml::to_string(self).expect("manifests always serialise")
    }

    /// Structural checks that the schema alone cannot express.
    pub fn validate(&self, origin: &Path) -> Result<()> {
        let invalid = |field: &str, message: String| Error::Invalid {
            path: origin.to_path_buf(),
            field: field.to_owned(),
            message,
        };
        if self.schema != SCHEMA_VERSION {
            return Err(invalid(
                "schema",
                format!(
                    "unsupported schema `{}`; expected `{SCHEMA_VERSION}`",
                    self.schema
                ),
            ));
        }
        validate_id(&self.id, self.kind).map_err(|m| invalid("id", m))?;
        let sections = [
            (Kind::Model, self.model.is_some(), "model"),
            (Kind::Dataset, self.dataset.is_some(), "dataset"),
            (Kind::Eval, self.eval.is_some(), "eval"),
        ];
        for (kind, present, name) in sections {
            if present && kind != self.kind {
                return Err(invalid(
                    name,
                    format!("a {} manifest cannot have a `{name}` section", self.kind),
                ));
            }
        }
        if self.kind == Kind::Eval && self.eval.is_none() {
            return Err(invalid(
                "eval",
                "an eval manifest needs an `eval` section".into(),
            ));
        }
        for (i, file) in self.files.iter().enumerate() {
            crate::paths::check_relative(&file.path)
                .map_err(|m| invalid(&format!("files[{i}].path"), m))?;
            if let Some(pieces) = &file.pieces {
                let expected = if pieces.size == 0 {
                    u64::MAX
                } else {
                    file.size.div_ceil(pieces.size).max(1)
                };
                if pieces.size == 0 || pieces.sha256.len() as u64 != expected {
                    return Err(invalid(
                        &format!("files[{i}].pieces"),
                        format!(
                            "{} piece digests do not cover {} bytes in pieces of {}",
                            pieces.sha256.len(),
                            file.size,
                            pieces.size
                        ),
                    ));
                }
            }
        }
        if let Some(hub) = self.source.as_ref().and_then(|s| s.hub.as_ref()) {
            hub.validate()
                .map_err(|(field, m)| invalid(&format!("source.hub.{field}"), m))?;
        }
        let mut seen = std::collections::BTreeSet::new();
        for (i, file) in self.files.iter().enumerate() {
            if !seen.insert(file.path.as_str()) {
                return Err(invalid(
                    &format!("files[{i}].path"),
                    format!("`{}` is listed twice", file.path),
                ));
            }
        }
        if let Some(license) = &self.license {
            crate::license::expression::parse(&license.expression)
                .map_err(|m| invalid("license.expression", m))?;
        }
        if let Some(model) = &self.model {
            self.validate_components(&model.components)
                .map_err(|(field, m)| invalid(&field, m))?;
        }
        if let Some(model) = &self.model
            && let Some(base) = model.derived_from.first()
            && let Some(i) = model
                .trained_on
                .iter()
                .position(|t| t.stage == Some(TrainingStage::Pretraining))
        {
            return Err(invalid(
                &format!("model.trained_on[{i}].stage"),
                format!(
                    "pretraining means trained from scratch, but the model is derived from `{}`; \
data that trained a base model further is recorded without a stage (and the base with relation continued-pretraining or fine-tune)",
                    base.id
                ),
            ));
        }
        Ok(())
    }

    /// A component's location is a URL or one of `files`, whose digest it
    /// carries; its license is an SPDX expression.
    fn validate_components(
        &self,
        components: &[Component],
    ) -> std::result::Result<(), (String, String)> {
        for (i, c) in components.iter().enumerate() {
            let field = |name: &str| format!("model.components[{i}].{name}");
            if let Some(license) = &c.license {
                crate::license::expression::parse(license).map_err(|m| (field("license"), m))?;
            }
            if c.location.contains("://") {
                continue;
            }
            let Some(file) = self.files.iter().find(|f| f.path == c.location) else {
                return Err((
                    field("location"),
                    format!(
                        "`{}` is neither a URL nor the path of one of this manifest's files",
                        c.location
                    ),
                ));
            };
            if c.sha256.as_ref().is_some_and(|d| *d != file.sha256) {
                return Err((
                    field("sha256"),
                    format!("is not the sha256 of `{}` listed in files", file.path),
                ));
            }
        }
        Ok(())
    }

    /// Every reference this manifest makes to another manifest, typed by
    /// what it means, with the field it sits in: the one walk of the
    /// reference fields that verification, pins, the lineage graph, the
    /// license check and the exports all share.
    pub fn references(&self) -> Vec<ManifestRef<'_>> {
        let mut refs = Vec::new();
        let mut push =
            |field, id, digest, kind| refs.push(ManifestRef::new(field, id, digest, kind));
        if let Some(model) = &self.model {
            for (i, up) in model.derived_from.iter().enumerate() {
                push(
                    format!("model.derived_from[{i}]"),
                    &up.id,
                    up.digest.as_ref(),
                    RefKind::BaseModel(up.relation),
                );
            }
            for (i, r) in model.trained_on.iter().enumerate() {
                push(
                    format!("model.trained_on[{i}]"),
                    &r.id,
                    r.digest.as_ref(),
                    RefKind::TrainedOn(r.stage),
                );
            }
        }
        if let Some(dataset) = &self.dataset {
            if let Some(r) = &dataset.generated_by {
                push(
                    "dataset.generated_by".into(),
                    &r.id,
                    r.digest.as_ref(),
                    RefKind::GeneratedBy,
                );
            }
            for (i, r) in dataset.upstream.iter().enumerate() {
                push(
                    format!("dataset.upstream[{i}]"),
                    &r.id,
                    r.digest.as_ref(),
                    RefKind::UpstreamData,
                );
            }
        }
        if let Some(eval) = &self.eval {
            push(
                "eval.model".into(),
                &eval.model.id,
                eval.model.digest.as_ref(),
                RefKind::Evaluates,
            );
            if let Some(r) = &eval.dataset {
                push(
                    "eval.dataset".into(),
                    &r.id,
                    r.digest.as_ref(),
                    RefKind::TestedOn,
                );
            }
        }
        refs
    }

    /// The digest slot of the reference at `field`, as named by
    /// [`references`](Self::references) (e.g. `model.derived_from[0]`).
    pub fn reference_digest_mut(&mut self, field: &str) -> Option<&mut Option<Sha256Hex>> {
        let (name, index) = match field.split_once('[') {
            Some((name, rest)) => (name, rest.strip_suffix(']')?.parse::<usize>().ok()?),
            None => (field, 0),
        };
        match name {
            "model.derived_from" => {
                Some(&mut self.model.as_mut()?.derived_from.get_mut(index)?.digest)
            }
            "model.trained_on" => Some(&mut self.model.as_mut()?.trained_on.get_mut(index)?.digest),
            "dataset.generated_by" => {
                Some(&mut self.dataset.as_mut()?.generated_by.as_mut()?.digest)
            }
            "dataset.upstream" => Some(&mut self.dataset.as_mut()?.upstream.get_mut(index)?.digest),
            "eval.model" => Some(&mut self.eval.as_mut()?.model.digest),
            "eval.dataset" => Some(&mut self.eval.as_mut()?.dataset.as_mut()?.digest),
            _ => None,
        }
    }

    /// Where this manifest lives inside a commons, relative to its root.
    pub fn relative_path(&self) -> PathBuf {
        let mut path = PathBuf::from("manifests").join(self.kind.folder());
        let mut parts = self.id.split('/').peekable();
        while let Some(part) = parts.next() {
            // Appended, not set_extension: ids such as `Llama-3.1-8B` have dots.
            path.push(if parts.peek().is_some() {
                part.to_owned()
            } else {
                format!("{part}.yaml")
            });
        }
        path
    }
}

/// Ids are `org/name` (evals `org/name/task-id`) of safe path segments.
pub fn validate_id(id: &str, kind: Kind) -> std::result::Result<(), String> {
    let parts: Vec<&str> = id.split('/').collect();
    let (expected, shape) = if kind == Kind::Eval {
        (3, "org/name/task-id")
    } else {
        (2, "org/name")
    };
    if parts.len() != expected {
        return Err(format!("`{id}` is not of the form {shape}"));
    }
    for part in parts {
        let ok = !part.is_empty()
            && part != "."
            && part != ".."
            && !part.starts_with('.')
            && part
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'));
        if !ok {
            return Err(format!(
                "`{id}` is not of the form {shape}: each part must be letters, digits, `-`, `_` or `.`, not starting with `.`"
            ));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Whatever a manifest file holds, reading it fails cleanly or gives a
    /// manifest whose own YAML reads back to the same manifest.
    #[test]
    fn fuzz_manifest() {
        crate::fuzz::fuzz("manifest", crate::fuzz::YAML_WORDS, Vec::new(), |bytes| {
            let Ok(text) = std::str::from_utf8(bytes) else {
                return;
            };
            // What the shortcut for plain block YAML reads, serde_yaml
            // reads the same.
            if let Some(fast) = crate::yaml::block::parse::<Manifest>(text) {
                let slow: Manifest = serde_yaml::from_str(text)
                    .unwrap_or_else(|e| panic!("{text:?}: read by the shortcut only: {e}"));
                assert_eq!(format!("{fast:?}"), format!("{slow:?}"), "{text:?}");
            }
            if let Ok(manifest) = Manifest::from_yaml(text, Path::new("m.yaml")) {
                let yaml = manifest.to_yaml();
                let again = Manifest::from_yaml(&yaml, Path::new("m.yaml"))
                    .expect("a manifest's own YAML reads back");
                // Compared as text: a metric may be NaN, which equals nothing.
                assert_eq!(again.to_yaml(), yaml);
            }
        });
    }
}
