//! The command line explains itself: every subcommand and every argument
//! has help text, and `completions --help` says how to install them.

use clap::CommandFactory;

use crate::support::Test;

/// `path: what lacks help` for every subcommand and argument without it.
fn undocumented(cmd: &clap::Command, path: &str, missing: &mut Vec<String>) {
    for arg in cmd.get_arguments() {
        let builtin = matches!(arg.get_id().as_str(), "help" | "version");
        if !builtin && arg.get_help().is_none() && arg.get_long_help().is_none() {
            missing.push(format!("{path}: argument `{}`", arg.get_id()));
        }
    }
    for sub in cmd.get_subcommands() {
        let sub_path = format!("{path} {}", sub.get_name());
        if sub.get_about().is_none() && sub.get_long_about().is_none() {
            missing.push(format!("{sub_path}: no description"));
        }
        undocumented(sub, &sub_path, missing);
    }
}

#[test]
fn every_subcommand_and_argument_has_help() {
    let mut missing = Vec::new();
    undocumented(&commons::cli::Cli::command(), "commons", &mut missing);
    assert!(
        missing.is_empty(),
        "without help text:\n{}",
        missing.join("\n")
    );
}

#[test]
fn completions_help_says_how_to_install_them() {
    let help = Test::new()
        .cmd(["completions", "--help"])
        .success()
        .stdout();
    for needle in [
        "bash:",
        "~/.local/share/bash-completion/completions/commons",
        "zsh:",
        "fpath+=~/.zfunc",
        "fish:",
        "~/.config/fish/completions/commons.fish",
    ] {
        assert!(help.contains(needle), "{needle}:\n{help}");
    }
}
