//! Recording manifests for local artifacts: hash the files, pin the
//! references to the manifests they name, write and commit.

use std::path::{Path, PathBuf};

use rayon::prelude::*;

use crate::commons::{Change, Commons};
use crate::error::{Error, Result};
use crate::manifest::{
    FileEntry, Kind, License, Manifest, Pieces, Reference, Relation, Source, Upstream,
};

/// Hashes every file under `dir` into manifest entries, in parallel.
/// Symlinks that lead outside `dir` are refused.
pub fn hash_folder(dir: &Path) -> Result<Vec<FileEntry>> {
    hash_folder_with(dir, &crate::digest::NoProgress)
}

/// [`hash_folder`], reporting progress.
pub fn hash_folder_with(
    dir: &Path,
    progress: &dyn crate::digest::HashProgress,
) -> Result<Vec<FileEntry>> {
    if !dir.is_dir() {
        return Err(Error::NotFound(format!("{}: not a folder", dir.display())));
    }
    let rels = crate::files::list_files(dir);
    let total: u64 = rels
        .iter()
        .filter_map(|r| std::fs::metadata(dir.join(r)).ok())
        .map(|m| {
            if m.len() >= crate::digest::PIECES_FROM {
                2 * m.len()
            } else {
                m.len()
            }
        })
        .sum();
    progress.start(total);
    rels.par_iter()
        .map(|rel| {
            let path = crate::paths::resolve_inside(dir, rel)?;
            let d = crate::digest::hash_file_with(&path, progress)?;
            Ok(FileEntry {
                path: rel.clone(),
                size: d.size,
                sha256: d.sha256,
                pieces: d.pieces.map(|sha256| Pieces {
                    size: crate::digest::PIECE_SIZE,
                    sha256,
                }),
            })
        })
        .collect()
}

/// A reference to a recorded manifest, pinned to its current digest.
pub fn pin(commons: &Commons, id: &str, field: &str) -> Result<Reference> {
    match commons.load(id) {
        Ok(l) => {
            commons.require_committed(&l)?;
            Ok(Reference {
                id: l.manifest.id,
                digest: Some(l.digest),
            })
        }
        Err(Error::NotFound(_)) => Err(Error::Usage(format!(
            "{field}: `{id}` is not in this commons; record or fetch it first (`commons record … {id}`)"
        ))),
        Err(e) => Err(e),
    }
}

/// The SPDX expression of `--license`: an expression as given, or a Hub
/// license id (`apache-2.0`, `llama3.1`) mapped as `fetch` maps it, which is
/// then also returned as what the upstream declares.
fn license_expression(given: &str) -> Result<(String, Option<String>)> {
    let parsed = crate::license::expression::parse(given);
    let catalog = crate::license::Catalog::built_in();
    let mapped = catalog
        .from_hub(given, None)
        .map(|t| t.id.clone())
        .or_else(|| {
            let id = crate::license::hub_id::spdx_for(given);
            (!id.starts_with("LicenseRef-")).then_some(id)
        })
        .filter(|id| id != given);
    if let Some(id) = mapped {
        return Ok((id, Some(given.to_owned())));
    }
    parsed.map_err(|e| {
        Error::Usage(format!(
            "--license `{given}`: {e}; give an SPDX expression (`Apache-2.0`, `MIT OR Apache-2.0`, `LicenseRef-…`) or a Hub license id (`apache-2.0`, `llama3.1`)"
        ))
    })?;
    Ok((given.to_owned(), None))
}

/// Everything `record` can say about an artifact.
#[derive(Debug, Clone, Default)]
pub struct RecordSpec {
    pub id: String,
    pub title: Option<String>,
    pub description: Option<String>,
    pub license: Option<String>,
    pub notices: Vec<String>,
    pub license_files: Vec<String>,
    pub display_attribution: Option<String>,
    /// The license the upstream declares, when it differs in form or substance.
    pub declared_license: Option<String>,
    /// Permissions or licenses obtained from licensors.
    pub obtained: Vec<crate::manifest::Obtained>,
    pub source: Option<Source>,
    pub files: Option<PathBuf>,
    pub derived_from: Vec<(String, Relation)>,
    pub trained_on: Vec<String>,
    /// Datasets the model was trained on from scratch (no base model).
    pub pretrained_on: Vec<String>,
    pub use_restrictions: Vec<String>,
    pub published_name: Option<String>,
    pub weights: Option<crate::manifest::Weights>,
    pub commercial: Option<bool>,
    pub architecture: Option<String>,
    pub format: Option<String>,
    /// Published components of the model's making (Model Openness Framework).
    pub components: Vec<crate::manifest::Component>,
    pub collection: Option<String>,
    pub consent: Option<String>,
    pub personal_data: Option<String>,
    pub languages: Vec<String>,
    pub generated_by: Option<String>,
    pub upstream: Vec<String>,
    pub items: Option<u64>,
}

/// Builds the manifest a spec describes, against the commons' records.
pub fn build(commons: &Commons, kind: Kind, spec: &RecordSpec) -> Result<Manifest> {
    build_with_progress(commons, kind, spec, &crate::digest::NoProgress)
}

/// [`build`], reporting the progress of hashing the files.
pub fn build_with_progress(
    commons: &Commons,
    kind: Kind,
    spec: &RecordSpec,
    progress: &dyn crate::digest::HashProgress,
) -> Result<Manifest> {
    let mut m = Manifest::new(kind, spec.id.clone());
    crate::manifest::validate_id(&spec.id, kind).map_err(Error::Usage)?;
    m.title = spec.title.clone();
    m.description = spec.description.clone();
    if let Some(given) = &spec.license {
        let (expression, hub_id) = license_expression(given)?;
        m.license = Some(License {
            expression,
            notices: spec.notices.clone(),
            license_files: spec.license_files.clone(),
            display_attribution: spec.display_attribution.clone(),
            declared: spec.declared_license.clone().or(hub_id),
            obtained: spec.obtained.clone(),
        });
    }
    m.source = spec.source.clone();
    if let Some(dir) = &spec.files {
        m.files = hash_folder_with(dir, progress)?;
        for lf in &spec.license_files {
            if !m.files.iter().any(|f| &f.path == lf) {
                return Err(Error::Usage(format!(
                    "--license-file: `{lf}` is not among the files in {}",
                    dir.display()
                )));
            }
        }
    }
    if let Some(model) = m.model.as_mut() {
        for (id, relation) in &spec.derived_from {
            let r = pin(commons, id, "--derived-from")?;
            model.derived_from.push(Upstream {
                id: r.id,
                relation: *relation,
                digest: r.digest,
            });
        }
        let stages = spec
            .trained_on
            .iter()
            .map(|id| (id, "--trained-on", None))
            .chain(spec.pretrained_on.iter().map(|id| {
                let stage = Some(crate::manifest::TrainingStage::Pretraining);
                (id, "--pretrained-on", stage)
            }));
        for (id, flag, stage) in stages {
            let pinned = pin(commons, id, flag)?;
            model.trained_on.push(crate::manifest::TrainingData {
                id: pinned.id,
                digest: pinned.digest,
                stage,
            });
        }
        model.use_restrictions = spec.use_restrictions.clone();
        model.published_name = spec.published_name.clone();
        model.weights = spec.weights;
        model.commercial = spec.commercial;
        model.architecture = spec.architecture.clone();
        model.format = spec.format.clone();
        model.components = spec.components.clone();
        for c in &mut model.components {
            if let Some(file) = m.files.iter().find(|f| f.path == c.location) {
                c.sha256 = Some(file.sha256.clone());
            } else if !c.location.contains("://") {
                return Err(Error::Usage(format!(
                    "--component {}: `{}` is neither a URL nor one of the recorded files (--files)",
                    c.component, c.location
                )));
            }
        }
    }
    if let Some(ds) = m.dataset.as_mut() {
        ds.collection = spec.collection.clone();
        ds.consent = spec.consent.clone();
        ds.personal_data = spec.personal_data.clone();
        ds.languages = spec.languages.clone();
        ds.items = spec.items;
        if let Some(id) = &spec.generated_by {
            ds.generated_by = Some(pin(commons, id, "--generated-by")?);
        }
        for id in &spec.upstream {
            ds.upstream.push(pin(commons, id, "--upstream")?);
        }
    }
    m.validate(&m.relative_path())?;
    Ok(m)
}

/// Writes a manifest and commits it; replacing an existing manifest removes
/// its (now stale) signatures in the same commit. Returns the path.
pub fn save(commons: &Commons, manifest: &Manifest, who: &str) -> Result<PathBuf> {
    let rel = manifest.relative_path();
    let rel_s = rel.to_string_lossy().replace('\\', "/");
    let abs = commons.root().join(&rel);
    let existed = abs.exists();
    let removals: Vec<String> = crate::signing::signature_files(&abs)
        .iter()
        .filter_map(|p| crate::paths::relative_to(p, commons.root()))
        .collect();
    let verb = if existed { "Update" } else { "Record" };
    let message = format!(
        "{verb} {} {}\n\nRecorded by {who} with commons {}.",
        manifest.kind,
        manifest.id,
        env!("CARGO_PKG_VERSION")
    );
    commons.commit_changes(
        vec![Change::new(rel_s, manifest.to_yaml())],
        removals,
        &message,
    )?;
    Ok(abs)
}
