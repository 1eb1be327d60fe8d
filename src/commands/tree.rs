//! `commons tree`: the lineage of one record.

use crate::cli::{Context, ExitStatus};
use crate::lineage::LineageGraph;

/// Show the lineage of a record: what it was made from, transitively
#[derive(Debug, clap::Args)]
pub struct Args {
    /// A manifest id
    pub id: String,
    /// Output: an indented tree, Graphviz dot or Mermaid
    #[arg(long, value_enum, default_value = "text")]
    pub format: TreeFormat,
}

#[derive(Debug, Clone, Copy, clap::ValueEnum)]
pub enum TreeFormat {
    Text,
    Dot,
    Mermaid,
}

pub fn run(args: Args, ctx: &Context) -> anyhow::Result<ExitStatus> {
    let commons = ctx.commons()?;
    let root = commons.load(&args.id)?.manifest.id;
    let graph = LineageGraph::from_manifests(&commons.load_all()?);
    let text = match args.format {
        TreeFormat::Text => graph.render_text(&root),
        TreeFormat::Dot => graph.render_dot(&root),
        TreeFormat::Mermaid => graph.render_mermaid(&root),
    };
    print!("{text}");
    Ok(ExitStatus::Success)
}
