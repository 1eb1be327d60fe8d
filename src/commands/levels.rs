//! `--allow`, `--warn` and `--deny RULE`: rule levels for one run of
//! `verify` or `check`, over the waivers of the commons' policy.

use crate::finding::Report;
use crate::rule::Rule;

#[derive(Debug, Clone, Default, clap::Args)]
pub struct LevelArgs {
    /// Report findings of RULE as notes that do not fail the run (repeatable)
    #[arg(long, value_name = "RULE")]
    pub allow: Vec<Rule>,
    /// Report findings of RULE as warnings (fail only with --strict)
    #[arg(long, value_name = "RULE")]
    pub warn: Vec<Rule>,
    /// Report findings of RULE as errors, waived or not
    #[arg(long, value_name = "RULE")]
    pub deny: Vec<Rule>,
}

impl LevelArgs {
    /// Applies the policy's waivers, then these levels, to `report`.
    pub fn apply(self, report: &mut Report, policy: &crate::config::Policy) {
        let levels = crate::waiver::Levels {
            allow: self.allow,
            warn: self.warn,
            deny: self.deny,
        };
        crate::waiver::apply(report, &policy.exceptions, &levels, &crate::waiver::today());
    }
}
