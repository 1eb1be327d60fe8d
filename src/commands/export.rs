//! `commons export`: records as CycloneDX, SPDX or a Hugging Face card;
//! evaluation results as lm-evaluation-harness results JSON.

use std::collections::HashMap;
use std::path::PathBuf;

use anyhow::Context as _;

use crate::cli::{Context, ExitStatus};
use crate::commons::{Commons, Loaded};
use crate::export::{Export, Format, SignatureRef};
use crate::governance::keyring::Keyring;
use crate::records::RecordSet;

/// Export records as a CycloneDX 1.6 ML-BOM, an SPDX 3.0.1 document (AI
/// and Dataset profiles) or a Hugging Face model card, or evaluation
/// results as lm-evaluation-harness results JSON
///
/// With an ID, the record and its whole lineage (base models, training
/// data, upstream data, and the evaluations of the models reached); without,
/// every record of the commons. Each document carries every file's sha256,
/// the license expressions, the lineage with the digests its references are
/// pinned by, the members' signatures, the recorded evaluations and the
/// model's Model Openness Framework class. The creation time is
/// `$SOURCE_DATE_EPOCH` when set (for reproducible exports), else now.
///
/// `--format lm-eval` writes the `results_<date>.json` of
/// lm-evaluation-harness: of an eval id, that result; of a model id, its
/// latest result of each task the harness also has (hellaswag, arc_easy,
/// arc_challenge, piqa, winogrande, lambada_openai, wikitext).
#[derive(Debug, clap::Args)]
pub struct Args {
    /// A record id; none: every record (not for hf-card or lm-eval)
    pub id: Option<String>,
    /// Document to write: CycloneDX 1.6 ML-BOM, SPDX 3.0.1 (JSON-LD), a Hugging Face model card or lm-evaluation-harness results
    #[arg(long, value_enum)]
    pub format: ExportFormat,
    /// Write the document to this file instead of stdout
    #[arg(long, short, value_name = "FILE")]
    pub output: Option<PathBuf>,
}

#[derive(Debug, Clone, Copy, clap::ValueEnum)]
pub enum ExportFormat {
    /// CycloneDX 1.6 ML-BOM (JSON)
    Cyclonedx,
    /// SPDX 3.0.1 JSON-LD, AI and Dataset profiles
    Spdx,
    /// Hugging Face model card (README.md with YAML front matter)
    HfCard,
    /// lm-evaluation-harness results JSON of an eval record, or of a model's latest results
    LmEval,
}

pub fn run(args: Args, ctx: &Context) -> anyhow::Result<ExitStatus> {
    let commons = ctx.commons()?;
    let all = commons.load_all()?;
    let records = RecordSet::new(&all);
    let mut export = match &args.id {
        Some(id) => {
            let wanted = commons.load(id)?.manifest.id;
            let subject = records
                .get(&wanted)
                .with_context(|| format!("`{wanted}` is not among the commons' manifests"))?;
            Export::lineage(&records, subject)
        }
        None => Export::everything(&records),
    };
    export.commons = commons.config.name.clone();
    export.tool = format!("commons {}", env!("CARGO_PKG_VERSION"));
    export.created = created()?;
    export.catalog = crate::license::Catalog::with_folder(&commons.root().join("licenses"))?;
    export.signatures = signatures(&commons, &export.selection)?;
    let format = match args.format {
        ExportFormat::Cyclonedx => Format::CycloneDx,
        ExportFormat::Spdx => Format::Spdx,
        ExportFormat::HfCard => Format::HfCard,
        ExportFormat::LmEval => Format::LmEval,
    };
    let document = export.render(format)?;
    let exported = match format {
        Format::LmEval => {
            let selection = crate::export::lm_eval::select(&export)?;
            for s in &selection.skipped {
                ctx.printer
                    .warn(format!("`{}` is left out: {}", s.id, s.reason));
            }
            format!("{} results", selection.results.len())
        }
        _ => format!("{} records", export.selection.len()),
    };
    match &args.output {
        Some(path) => {
            crate::commons::atomic_write(path, document.as_bytes())?;
            ctx.printer
                .status("Exported", format!("{exported} to {}", path.display()));
        }
        None => crate::output::print_text(&document)?,
    }
    Ok(ExitStatus::Success)
}

/// `$SOURCE_DATE_EPOCH` (seconds since 1970), else now, as RFC 3339.
fn created() -> anyhow::Result<String> {
    let when = match std::env::var("SOURCE_DATE_EPOCH") {
        Ok(s) => {
            let secs: i64 = s.trim().parse().with_context(|| {
                format!("SOURCE_DATE_EPOCH=`{s}` is not a number of seconds since 1970")
            })?;
            time::OffsetDateTime::from_unix_timestamp(secs)
                .with_context(|| format!("SOURCE_DATE_EPOCH=`{s}` is out of range"))?
        }
        Err(_) => time::OffsetDateTime::now_utc(),
    };
    Ok(when
        .replace_nanosecond(0)
        .unwrap_or(when)
        .format(&time::format_description::well_known::Rfc3339)?)
}

/// Each record's signature files, and whether they verify.
fn signatures(
    commons: &Commons,
    selection: &[&Loaded],
) -> anyhow::Result<HashMap<String, Vec<SignatureRef>>> {
    let keys = Keyring::of(&commons.config, commons.root(), &commons.config_path())?;
    let index = crate::signing::signature_index(commons.root())?;
    let mut out = HashMap::new();
    for l in selection {
        let files = index.get(&l.path).map_or(&[][..], Vec::as_slice);
        let valid = crate::verify::valid_signers(&commons.config, &keys, l, files, &mut Vec::new());
        let refs = files
            .iter()
            .filter_map(|f| {
                let name = f.file_name()?.to_str()?;
                let member = name
                    .strip_prefix(l.path.file_name()?.to_str()?)?
                    .strip_prefix('.')?
                    .strip_suffix(".minisig")?
                    .to_owned();
                let path = commons.relative(f).ok()?;
                Some(SignatureRef {
                    valid: valid.contains(&member),
                    member,
                    path,
                })
            })
            .collect();
        out.insert(l.manifest.id.clone(), refs);
    }
    Ok(out)
}
