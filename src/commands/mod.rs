//! One module per verb: its arguments and its `run`.

use crate::cli::{Command, Context, ExitStatus};

pub mod check;
pub mod completions;
#[cfg(feature = "ml")]
pub mod eval;
pub mod export;
#[cfg(feature = "hub")]
pub mod fetch;
pub mod governance;
pub mod init;
pub mod key;
pub mod levels;
pub mod list;
pub mod log;
pub mod man;
pub mod member;
pub mod openness;
pub mod policy;
pub mod record;
pub mod repin;
#[cfg(feature = "ml")]
pub mod run;
pub mod schema;
pub mod show;
pub mod sign;
pub mod signer;
pub mod snapshot;
pub mod tree;
pub mod verify;

/// The model `eval` and `run` load: a plain path as given, or a commons
/// model whose files were found and verified against its manifest.
#[cfg(feature = "ml")]
pub struct ModelSubject {
    pub path: std::path::PathBuf,
    pub record: Option<(crate::commons::Commons, crate::commons::Loaded)>,
}

#[cfg(feature = "ml")]
impl ModelSubject {
    pub fn resolve(
        model: &str,
        files: Option<&std::path::Path>,
        ctx: &Context,
    ) -> anyhow::Result<ModelSubject> {
        use anyhow::Context as _;
        if std::path::Path::new(model).exists() {
            return Ok(ModelSubject {
                path: model.into(),
                record: None,
            });
        }
        let commons = ctx.commons().with_context(|| {
            format!(
                "`{model}` is neither a file or folder nor a model id (no commons to look it up in)"
            )
        })?;
        let loaded = commons.load(model)?;
        let manifest = &loaded.manifest;
        if manifest.kind != crate::manifest::Kind::Model {
            anyhow::bail!(
                "`{}` is a {} manifest, not a model",
                manifest.id,
                manifest.kind
            );
        }
        let started = std::time::Instant::now();
        let verified = crate::files::verified(&loaded, files, &crate::digest::NoProgress)?;
        ctx.printer.status(
            "Verified",
            format!(
                "{} files of {} in {:.2}s",
                verified.files.len(),
                manifest.id,
                started.elapsed().as_secs_f64()
            ),
        );
        let ggufs: Vec<&std::path::PathBuf> = verified
            .files
            .iter()
            .filter(|f| f.extension().is_some_and(|e| e == "gguf"))
            .collect();
        let path = match ggufs.as_slice() {
            [one] => one.to_path_buf(),
            _ => verified.dir.clone(),
        };
        Ok(ModelSubject {
            path,
            record: Some((commons, loaded)),
        })
    }
}

/// `-t/--threads`, shared by `eval` and `run` (and spelled as llama.cpp
/// spells it).
#[cfg(feature = "ml")]
#[derive(Debug, clap::Args)]
pub struct ThreadArgs {
    /// Worker threads (default: one per core)
    #[arg(short = 't', long, value_name = "N")]
    pub threads: Option<usize>,
}

#[cfg(feature = "ml")]
impl ThreadArgs {
    /// Sizes the model's thread team and rayon's pool, once per process.
    pub fn apply(&self) {
        if let Some(n) = self.threads {
            crate::model::team::set_threads(n);
            rayon::ThreadPoolBuilder::new()
                .num_threads(n.max(1))
                .build_global()
                .ok();
        }
    }
}

pub fn dispatch(command: Command, ctx: &Context) -> anyhow::Result<ExitStatus> {
    match command {
        Command::Init(args) => init::run(args, ctx),
        Command::Key(cmd) => key::run(cmd, ctx),
        Command::Record(cmd) => record::run(cmd, ctx),
        Command::Sign(args) => sign::run(args, ctx),
        Command::Snapshot(args) => snapshot::run(args, ctx),
        Command::Governance(cmd) => governance::run(cmd, ctx),
        Command::Member(cmd) => member::run(cmd, ctx),
        Command::Policy(cmd) => policy::run(cmd, ctx),
        Command::Verify(args) => verify::run(args, ctx),
        Command::Check(args) => check::run(args, ctx),
        Command::Repin(args) => repin::run(args, ctx),
        #[cfg(feature = "hub")]
        Command::Fetch(args) => fetch::run(args, ctx),
        #[cfg(feature = "ml")]
        Command::Eval(args) => eval::run(args, ctx),
        #[cfg(feature = "ml")]
        Command::Run(args) => run::run(args, ctx),
        Command::Log(args) => log::run(args, ctx),
        Command::Show(args) => show::run(args, ctx),
        Command::List(args) => list::run(args, ctx),
        Command::Tree(args) => tree::run(args, ctx),
        Command::Export(args) => export::run(args, ctx),
        Command::Openness(args) => openness::run(args, ctx),
        Command::Schema(args) => schema::run(args, ctx),
        Command::Completions(args) => completions::run(args, ctx),
        Command::Man(args) => man::run(args, ctx),
    }
}
