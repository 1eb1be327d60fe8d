//! One module per verb: its arguments and its `run`.

use crate::cli::{Command, Context, ExitStatus};

pub mod check;
pub mod completions;
#[cfg(feature = "ml")]
pub mod eval;
#[cfg(feature = "hub")]
pub mod fetch;
pub mod governance;
pub mod init;
pub mod key;
pub mod list;
pub mod log;
pub mod man;
pub mod member;
pub mod policy;
pub mod record;
#[cfg(feature = "ml")]
pub mod run;
pub mod schema;
pub mod show;
pub mod sign;
pub mod signer;
pub mod snapshot;
pub mod tree;
pub mod verify;

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
        Command::Schema(args) => schema::run(args, ctx),
        Command::Completions(args) => completions::run(args, ctx),
        Command::Man(args) => man::run(args, ctx),
    }
}
