//! `commons policy`: show the policy in force, or propose changing one key
//! of it (the next governance version, signed like any other).

use crate::cli::{Context, ExitStatus};
use crate::config::{Member, Policy, REQUIRABLE_FIELDS};
use crate::error::Error;
use crate::output::{DataFormat, print_json};

use super::signer::Signer;

/// The commons' policy: show it, or propose a change for members to sign
#[derive(Debug, clap::Subcommand)]
pub enum PolicyCommand {
    /// Show the policy of the newest accepted governance version
    Show {
        /// Output: human text, or JSON for scripts
        #[arg(long, value_enum, default_value = "human")]
        format: DataFormat,
    },
    /// Propose setting one policy key (the next governance version)
    Set {
        /// quorum, membership-threshold, snapshot-expiry-days, accepted-licenses,
        /// required-fields, dataset-licenses-bind-weights, distillation-is-derivative
        #[arg(value_parser = clap::builder::PossibleValuesParser::new(KEYS))]
        key: String,
        /// The value: a number, true/false, a comma-separated list, or `none`
        value: String,
    },
    /// Propose accepting the findings of RULE on record ID (`*`: every record), with a reason
    Waive {
        /// The rule, as `verify` and `check` name it (commands/rules.md)
        rule: crate::rule::Rule,
        /// The record id the findings are about, or `*`
        id: String,
        /// Why the commons accepts them
        #[arg(long)]
        reason: String,
        /// Last day the waiver applies (YYYY-MM-DD)
        #[arg(long, value_name = "DATE")]
        expires: Option<String>,
    },
    /// Propose withdrawing the waiver of RULE on record ID
    Unwaive {
        /// The rule of the waiver to withdraw
        rule: crate::rule::Rule,
        /// The record id (or `*`) the waiver names
        id: String,
    },
}

const KEYS: &[&str] = &[
    "quorum",
    "membership-threshold",
    "snapshot-expiry-days",
    "accepted-licenses",
    "required-fields",
    "dataset-licenses-bind-weights",
    "distillation-is-derivative",
];

pub fn run(cmd: PolicyCommand, ctx: &Context) -> anyhow::Result<ExitStatus> {
    match cmd {
        PolicyCommand::Show { format } => show(ctx, format),
        PolicyCommand::Set { key, value } => set(ctx, &key, &value),
        PolicyCommand::Waive {
            rule,
            id,
            reason,
            expires,
        } => waive(ctx, rule, id, reason, expires),
        PolicyCommand::Unwaive { rule, id } => unwaive(ctx, rule, &id),
    }
}

fn show(ctx: &Context, format: DataFormat) -> anyhow::Result<ExitStatus> {
    let commons = ctx.commons()?;
    match format {
        DataFormat::Json => print_json(&commons.config.policy)?,
        DataFormat::Human => print!(
            "{}",
            serde_yaml::to_string(&commons.config.policy).expect("policy serialises")
        ),
    }
    Ok(ExitStatus::Success)
}

fn set(ctx: &Context, key: &str, value: &str) -> anyhow::Result<ExitStatus> {
    let commons = ctx.commons()?;
    let trusted: Vec<&Member> = commons.config.members.iter().collect();
    let signers: Vec<Signer> = Signer::at_hand(&trusted, None, None).into_iter().collect();
    let what = format!("set policy {key} to {value}");
    super::governance::propose(ctx, &commons, &what, Vec::new(), &signers, |c| {
        apply(&mut c.policy, key, value)
    })
}

fn waive(
    ctx: &Context,
    rule: crate::rule::Rule,
    id: String,
    reason: String,
    expires: Option<String>,
) -> anyhow::Result<ExitStatus> {
    if let Some(d) = &expires {
        anyhow::ensure!(
            time::Date::parse(d, time::macros::format_description!("[year]-[month]-[day]")).is_ok(),
            "--expires {d}: not a date (YYYY-MM-DD)"
        );
    }
    let commons = ctx.commons()?;
    let trusted: Vec<&Member> = commons.config.members.iter().collect();
    let signers: Vec<Signer> = Signer::at_hand(&trusted, None, None).into_iter().collect();
    let approved_by = signers.first().map(|s| s.member.clone());
    let what = format!("waive {rule} for {id}");
    super::governance::propose(ctx, &commons, &what, Vec::new(), &signers, |c| {
        c.policy
            .exceptions
            .retain(|e| !(e.rule == rule && e.id == id));
        c.policy.exceptions.push(crate::config::Exception {
            rule,
            id,
            reason,
            approved_by,
            expires,
        });
        Ok(())
    })
}

fn unwaive(ctx: &Context, rule: crate::rule::Rule, id: &str) -> anyhow::Result<ExitStatus> {
    let commons = ctx.commons()?;
    anyhow::ensure!(
        commons
            .config
            .policy
            .exceptions
            .iter()
            .any(|e| e.rule == rule && e.id == id),
        "the policy has no waiver of `{rule}` for `{id}`"
    );
    let trusted: Vec<&Member> = commons.config.members.iter().collect();
    let signers: Vec<Signer> = Signer::at_hand(&trusted, None, None).into_iter().collect();
    let what = format!("withdraw the waiver of {rule} for {id}");
    super::governance::propose(ctx, &commons, &what, Vec::new(), &signers, |c| {
        c.policy
            .exceptions
            .retain(|e| !(e.rule == rule && e.id == id));
        Ok(())
    })
}

/// Sets one key of `policy` from its text.
pub fn apply(policy: &mut Policy, key: &str, value: &str) -> crate::Result<()> {
    let bad = |what: &str| Error::Usage(format!("policy {key}: `{value}` is not {what}"));
    let number = || value.parse::<u32>().map_err(|_| bad("a whole number"));
    let flag = || value.parse::<bool>().map_err(|_| bad("true or false"));
    let list = || -> Vec<String> {
        if value == "none" {
            Vec::new()
        } else {
            value
                .split(',')
                .map(|s| s.trim().to_owned())
                .filter(|s| !s.is_empty())
                .collect()
        }
    };
    match key {
        "quorum" => policy.quorum = number()?,
        "membership-threshold" => policy.membership_threshold = number()?,
        "snapshot-expiry-days" => {
            policy.snapshot_expiry_days = if value == "none" {
                None
            } else {
                Some(number()?)
            }
        }
        "accepted-licenses" => {
            let ids = list();
            for id in &ids {
                if spdx::license_id(id).is_none() && !id.starts_with("LicenseRef-") {
                    return Err(bad("a list of SPDX license ids"));
                }
            }
            policy.accepted_licenses = ids;
        }
        "required-fields" => {
            let fields = list();
            if let Some(f) = fields
                .iter()
                .find(|f| !REQUIRABLE_FIELDS.contains(&f.as_str()))
            {
                return Err(Error::Usage(format!(
                    "policy required-fields: `{f}` is not one of {}",
                    REQUIRABLE_FIELDS.join(", ")
                )));
            }
            policy.required_fields = fields;
        }
        "dataset-licenses-bind-weights" => policy.dataset_licenses_bind_weights = flag()?,
        "distillation-is-derivative" => policy.distillation_is_derivative = flag()?,
        other => {
            return Err(Error::Usage(format!(
                "`{other}` is not a policy key; one of {}",
                KEYS.join(", ")
            )));
        }
    }
    Ok(())
}
