//! `commons list`: the catalogue.

use crate::cli::{Context, ExitStatus};
use crate::manifest::Kind;
use crate::output::{DataFormat, print_json, table};

/// List the manifests of the commons
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Only this kind
    #[arg(long, value_enum)]
    pub kind: Option<KindArg>,
    /// Output: human text, or JSON for scripts
    #[arg(long, value_enum, default_value = "human")]
    pub format: DataFormat,
}

#[derive(Debug, Clone, Copy, clap::ValueEnum)]
pub enum KindArg {
    Model,
    Dataset,
    Eval,
}

pub fn run(args: Args, ctx: &Context) -> anyhow::Result<ExitStatus> {
    let commons = ctx.commons()?;
    let want = args.kind.map(|k| match k {
        KindArg::Model => Kind::Model,
        KindArg::Dataset => Kind::Dataset,
        KindArg::Eval => Kind::Eval,
    });
    let mut all = commons.load_all()?;
    all.retain(|l| want.is_none_or(|k| l.manifest.kind == k));
    all.sort_by(|a, b| (a.manifest.kind, &a.manifest.id).cmp(&(b.manifest.kind, &b.manifest.id)));
    let signatures = crate::signing::signature_index(commons.root())?;
    let rows: Vec<_> = all
        .iter()
        .map(|l| {
            let m = &l.manifest;
            let signers: Vec<String> = signatures
                .get(&l.path)
                .into_iter()
                .flatten()
                .filter_map(|p| {
                    crate::signing::read_signature(p)
                        .ok()?
                        .binding
                        .map(|b| b.signer)
                })
                .collect();
            serde_json::json!({
                "id": m.id,
                "kind": m.kind,
                "license": m.license.as_ref().map(|l| l.expression.clone()),
                "files": m.files.len(),
                "bytes": m.files.iter().map(|f| f.size).sum::<u64>(),
                "signatures": signers,
                "sha256": l.digest,
            })
        })
        .collect();
    match args.format {
        DataFormat::Json => print_json(&rows)?,
        DataFormat::Human => {
            let mut t = table(&["kind", "id", "license", "files", "signatures", "sha256"]);
            for r in &rows {
                let sigs: Vec<&str> = r["signatures"]
                    .as_array()
                    .into_iter()
                    .flatten()
                    .filter_map(|s| s.as_str())
                    .collect();
                t.add_row(vec![
                    r["kind"].as_str().unwrap_or("").to_owned(),
                    r["id"].as_str().unwrap_or("").to_owned(),
                    r["license"].as_str().unwrap_or("-").to_owned(),
                    r["files"].to_string(),
                    if sigs.is_empty() {
                        "-".into()
                    } else {
                        sigs.join(", ")
                    },
                    r["sha256"].as_str().unwrap_or("")[..12].to_owned(),
                ]);
            }
            println!("{t}");
        }
    }
    Ok(ExitStatus::Success)
}
