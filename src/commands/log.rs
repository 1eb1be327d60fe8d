//! `commons log`: the history of the commons, or of one record.

use crate::cli::{Context, ExitStatus};
use crate::output::{DataFormat, print_json, table};

/// Show the history of the commons, or of one manifest and its signatures
#[derive(Debug, clap::Args)]
pub struct Args {
    /// A manifest id or path
    pub id: Option<String>,
    /// Show at most N entries
    #[arg(short = 'n', long, value_name = "N")]
    pub max_count: Option<usize>,
    /// Output: human text, or JSON for scripts
    #[arg(long, value_enum, default_value = "human")]
    pub format: DataFormat,
}

pub fn run(args: Args, ctx: &Context) -> anyhow::Result<ExitStatus> {
    let commons = ctx.commons()?;
    let prefix = match &args.id {
        Some(id) => Some(commons.relative(&commons.load(id)?.path)?),
        None => None,
    };
    let repo = git2::Repository::open(commons.root())?;
    let mut walk = repo.revwalk()?;
    walk.push_head()?;
    walk.set_sorting(git2::Sort::TIME)?;
    let mut entries = Vec::new();
    for oid in walk {
        let commit = repo.find_commit(oid?)?;
        if let Some(prefix) = &prefix
            && !touches(&repo, &commit, prefix)?
        {
            continue;
        }
        let when = time::OffsetDateTime::from_unix_timestamp(commit.time().seconds())
            .map_err(|e| anyhow::anyhow!(e))?;
        entries.push((
            commit.id().to_string(),
            when.format(&time::format_description::well_known::Rfc3339)?,
            commit.author().name().unwrap_or("").to_owned(),
            commit.summary().ok().flatten().unwrap_or("").to_owned(),
        ));
        if args.max_count.is_some_and(|n| entries.len() >= n) {
            break;
        }
    }
    match args.format {
        DataFormat::Json => print_json(
            &entries
                .iter()
                .map(|(c, d, a, s)| serde_json::json!({"commit": c, "date": d, "author": a, "summary": s}))
                .collect::<Vec<_>>(),
        )?,
        DataFormat::Human => {
            let mut t = table(&["commit", "date", "author", "change"]);
            for (c, d, a, s) in entries {
                t.add_row(vec![c[..10].to_owned(), d, a, s]);
            }
            println!("{t}");
        }
    }
    Ok(ExitStatus::Success)
}

/// Whether `commit` changed the manifest at `rel` or a signature beside it.
fn touches(repo: &git2::Repository, commit: &git2::Commit, rel: &str) -> anyhow::Result<bool> {
    let tree = commit.tree()?;
    let parent_tree = commit.parent(0).ok().map(|p| p.tree()).transpose()?;
    let diff = repo.diff_tree_to_tree(parent_tree.as_ref(), Some(&tree), None)?;
    Ok(diff.deltas().any(|d| {
        [d.old_file().path(), d.new_file().path()]
            .into_iter()
            .flatten()
            .any(|p| {
                p.to_str()
                    .is_some_and(|p| p == rel || (p.starts_with(rel) && p.ends_with(".minisig")))
            })
    }))
}
