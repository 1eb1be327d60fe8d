//! License compliance: the catalog of what licenses ask, and the check of a
//! record against every license in its lineage.
//!
//! - [`catalog`]: licenses as data (built in, extendable by a commons);
//! - [`expression`]: SPDX expressions and the choices they leave;
//! - [`graph`]: the lineage indexed for the walk;
//! - [`reach`]: what reaches each record from upstream, summarised once;
//! - [`check`]: the walk and the rules (named in [`crate::rule::Rule`]);
//! - [`drift`]: manifest against model card and LICENSE file;
//! - [`identify`]: which license a text is, by its content.

pub mod catalog;
pub mod check;
pub mod drift;
pub mod expression;
pub mod graph;
pub mod hub_id;
pub mod identify;
pub mod reach;

use crate::commons::Loaded;
use crate::finding::{Examined, Report};

pub use catalog::{Catalog, LicenseTerms, hub_license_id};
pub use check::{CheckPolicy, Checker};
pub use graph::{LicenseGraph, LineageError};

/// What to check.
#[derive(Debug, Clone)]
pub enum Subjects {
    /// Every model and dataset.
    All,
    /// These records and everything upstream of them.
    Lineage(Vec<String>),
}

/// Why a check could not run.
#[derive(Debug, thiserror::Error)]
pub enum CheckError {
    #[error("no model or dataset `{0}` in this commons (try `commons list`)")]
    UnknownSubject(String),
    #[error(transparent)]
    Lineage(#[from] LineageError),
}

/// Checks `subjects` among `loaded` (every manifest of a commons) and
/// reports the findings, record by record.
pub fn check(
    loaded: &[Loaded],
    catalog: &Catalog,
    policy: &CheckPolicy,
    subjects: &Subjects,
) -> Result<Report, CheckError> {
    let graph = LicenseGraph::new(loaded);
    let roots: Vec<usize> = match subjects {
        Subjects::All => (0..graph.nodes.len()).collect(),
        Subjects::Lineage(ids) => ids
            .iter()
            .map(|id| {
                graph
                    .find(id)
                    .ok_or_else(|| CheckError::UnknownSubject(id.clone()))
            })
            .collect::<Result<_, _>>()?,
    };
    let lineage = graph.upstream_first(&roots)?;
    let checker = Checker::new(&graph, catalog, policy, &lineage);
    let mut order = lineage;
    order.sort_by(|&a, &b| graph.nodes[a].id().cmp(graph.nodes[b].id()));
    let findings: Vec<Vec<crate::finding::Finding>> = {
        use rayon::prelude::*;
        order.par_iter().map(|&n| checker.check(n)).collect()
    };
    let named: Vec<bool> = match subjects {
        Subjects::All => {
            let mut downstream = vec![false; graph.nodes.len()];
            for e in graph.nodes.iter().flat_map(|m| &m.edges) {
                downstream[e.to] = true;
            }
            downstream.iter().map(|d| !d).collect()
        }
        Subjects::Lineage(_) => {
            let mut named = vec![false; graph.nodes.len()];
            for &r in &roots {
                named[r] = true;
            }
            named
        }
    };
    let mut report = Report {
        subjects: order
            .iter()
            .map(|&n| graph.nodes[n].id().to_owned())
            .collect(),
        findings: findings.into_iter().flatten().collect(),
        upstream: order
            .iter()
            .filter(|&&n| !named[n])
            .map(|&n| graph.nodes[n].id().to_owned())
            .collect(),
        examined: Examined {
            checked: order
                .iter()
                .filter(|&&n| named[n])
                .map(|&n| {
                    format!(
                        "{}: its license, and the obligations its lineage passes down",
                        graph.nodes[n].id()
                    )
                })
                .collect(),
            skipped: policy.exclusions(),
        },
    };
    report.mark_inherited();
    Ok(report)
}
