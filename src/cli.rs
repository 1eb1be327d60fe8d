//! The command line: global options, the verb table, and the exit status.
//!
//! Each verb owns its arguments and its `run` in `commands/<verb>.rs`; this
//! module only holds what they share.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

use crate::commands;
use crate::output::Printer;

/// Exit statuses, as documented in the README and the man page.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExitStatus {
    /// The command ran and found nothing wrong.
    Success = 0,
    /// The check ran and found problems.
    Findings = 1,
    /// Usage or input error: the command could not run.
    Error = 2,
}

impl From<ExitStatus> for ExitCode {
    fn from(s: ExitStatus) -> ExitCode {
        ExitCode::from(s as u8)
    }
}

#[derive(Debug, Parser)]
#[command(
    name = "commons",
    version,
    about = "Stewardship of commons AI models: provenance, signatures, license compliance, local evaluation",
    long_about = "commons records where models and datasets came from and under which license, \
signs those records, keeps them in git, evaluates and runs models locally, and tells whether \
a derivative honours the licenses of everything it was built from.\n\n\
Exit status: 0 success; 1 the check ran and found problems; 2 usage or input error.",
    propagate_version = true,
    max_term_width = 100
)]
pub struct Cli {
    /// Run as if started in DIR (the commons, or a folder inside it).
    #[arg(
        short = 'C',
        long = "commons",
        global = true,
        value_name = "DIR",
        env = "COMMONS_DIR"
    )]
    pub dir: Option<PathBuf>,

    /// Print only results and errors: no progress bars or status lines.
    #[arg(short, long, global = true)]
    pub quiet: bool,

    /// Say on stderr what verify and check examined and what they skipped
    #[arg(short, long, global = true, conflicts_with = "quiet")]
    pub verbose: bool,

    /// Colour in reports: auto (on a terminal, unless $NO_COLOR is set),
    /// always or never
    #[arg(
        long,
        global = true,
        value_enum,
        default_value = "auto",
        value_name = "WHEN"
    )]
    pub color: crate::output::ColorChoice,

    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
#[allow(clippy::large_enum_variant)] // parsed once per process
pub enum Command {
    Init(commands::init::Args),
    #[command(subcommand)]
    Key(commands::key::KeyCommand),
    #[command(subcommand)]
    Record(commands::record::RecordCommand),
    Sign(commands::sign::Args),
    Snapshot(commands::snapshot::Args),
    #[command(subcommand)]
    Governance(commands::governance::GovernanceCommand),
    #[command(subcommand)]
    Member(commands::member::MemberCommand),
    #[command(subcommand)]
    Policy(commands::policy::PolicyCommand),
    Verify(commands::verify::Args),
    Check(commands::check::Args),
    Repin(commands::repin::Args),
    #[cfg(feature = "hub")]
    Fetch(commands::fetch::Args),
    #[cfg(feature = "ml")]
    Eval(commands::eval::Args),
    #[cfg(feature = "ml")]
    Run(commands::run::Args),
    Log(commands::log::Args),
    Show(commands::show::Args),
    List(commands::list::Args),
    Tree(commands::tree::Args),
    Export(commands::export::Args),
    Openness(commands::openness::Args),
    Schema(commands::schema::Args),
    Completions(commands::completions::Args),
    Man(commands::man::Args),
}

/// What every command receives besides its own arguments.
pub struct Context {
    pub dir: PathBuf,
    pub printer: Printer,
}

impl Context {
    /// Opens the commons this invocation works on.
    pub fn commons(&self) -> crate::Result<crate::commons::Commons> {
        crate::commons::Commons::open(&self.dir)
    }
}

/// Parses arguments, runs the command, maps the result to an exit code.
pub fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            let _ = e.print();
            return match e.kind() {
                clap::error::ErrorKind::DisplayHelp | clap::error::ErrorKind::DisplayVersion => {
                    ExitCode::SUCCESS
                }
                _ => ExitStatus::Error.into(),
            };
        }
    };
    match run(cli) {
        Ok(status) => status.into(),
        Err(e) => {
            crate::output::print_error(&e);
            ExitStatus::Error.into()
        }
    }
}

pub fn run(cli: Cli) -> anyhow::Result<ExitStatus> {
    let dir = cli.dir.clone().unwrap_or_else(|| PathBuf::from("."));
    crate::output::set_color(cli.color);
    let ctx = Context {
        dir,
        printer: Printer::new(cli.quiet, cli.verbose),
    };
    commands::dispatch(cli.command, &ctx)
}
